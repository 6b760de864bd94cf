"""Byte-level mutations (what a bad link, a buggy peer or an attacker does to data), and the
invariants a frame keeps whatever the emulator was fed."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from moshz.term.frame import Frame

# Bytes that stress a terminal parser when spliced in at random places: invalid and
# truncated UTF-8 (lone continuation bytes, overlong forms, surrogates, beyond U+10FFFF),
# C1 controls and the introducers of escape, CSI, OSC, DCS and APC strings.
SPLICES = (
    b"\x80",
    b"\xbf",
    b"\xc0\xaf",
    b"\xc3",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xfe",
    b"\xff",
    b"\x9b",
    b"\x9d",
    b"\x90",
    b"\x1b",
    b"\x1b[",
    b"\x1b]",
    b"\x1bP",
    b"\x1b_",
    b"\x18",
    b"\x1a",
    b"\x00",
    b"\x1b[99999999999999999999m",
    b"\x1b[?1049h",
    b"\x1b[1;999r",
    b"\x1b[999;999H",
    b"\xe6\x97\xa5",
    b"\xcc\x81",
)


def _flip(draw: Any, data: bytearray) -> None:
    data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))


def _delete(draw: Any, data: bytearray) -> None:
    start = draw(st.integers(0, len(data) - 1))
    del data[start : start + draw(st.integers(1, 16))]


def _insert(draw: Any, data: bytearray) -> None:
    where = draw(st.integers(0, len(data)))
    data[where:where] = draw(st.one_of(st.sampled_from(SPLICES), st.binary(min_size=1, max_size=8)))


def _repeat(draw: Any, data: bytearray) -> None:
    start = draw(st.integers(0, len(data) - 1))
    chunk = data[start : start + draw(st.integers(1, 64))]
    where = draw(st.integers(0, len(data)))
    data[where:where] = chunk


def _truncate(draw: Any, data: bytearray) -> None:
    del data[draw(st.integers(0, len(data) - 1)) :]


_OPERATIONS = (_flip, _delete, _insert, _repeat, _truncate)


@st.composite
def mutated(draw: Any, original: bytes, max_mutations: int = 6) -> bytes:
    """``original`` with a few random flips, cuts, insertions, repeats or a truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, max_mutations))):
        operation = draw(st.sampled_from(_OPERATIONS))
        if data or operation is _insert:
            operation(draw, data)
    return bytes(data)


def assert_frame_sane(frame: Frame) -> None:
    """The invariants every frame keeps, whatever the input: sizes agree, the cursor is inside."""
    assert frame.width >= 1 and frame.height >= 1
    assert 0 <= frame.cursor_row < frame.height
    assert 0 <= frame.cursor_col < frame.width
    assert len(frame.rows) == frame.height
    for row in frame.rows:
        assert len(row.cells) == frame.width
        assert all(isinstance(cell.contents, str) for cell in row.cells)
