"""Property tests: no input raises or escapes the screen, and the fast paths change nothing."""

from __future__ import annotations

from typing import Union

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.term.emulator import Emulator
from moshz.term.frame import Frame
from tests.term.emulator_support import canonical, slow_emulator

Op = Union[bytes, "tuple[int, int]"]

_MODES = [1, 3, 4, 5, 6, 7, 9, 25, 47, 1000, 1002, 1003, 1004, 1006, 1007, 1015, 1047, 1049, 2004]
_FINALS = "@ABCDGHIJKLMPSTXZ`cdfghlmnpqrsu"
_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("\u00e9\u65e5\u672c\u0301\u0308\u200b\U0001f600\uff21\u00a0"),
    ),
    max_size=12,
)


@st.composite
def _csi(draw: st.DrawFn) -> bytes:
    marker = draw(st.sampled_from(["", "", "?", ">", "!", "=", ":"]))
    numbers = draw(
        st.lists(
            st.one_of(
                st.integers(0, 12), st.sampled_from(_MODES), st.just(""), st.integers(0, 70000)
            ),
            max_size=6,
        )
    )
    params = ";".join(str(n) for n in numbers)
    inter = draw(st.sampled_from(["", "", "", " ", "!", "$", "?"]))
    final = draw(
        st.one_of(st.sampled_from(_FINALS), st.characters(min_codepoint=0x40, max_codepoint=0x7E))
    )
    return ("\x1b[" + marker + params + inter + final).encode()


@st.composite
def _escape(draw: st.DrawFn) -> bytes:
    inter = draw(st.sampled_from(["", "", "#", "(", " "]))
    final = draw(
        st.one_of(
            st.sampled_from("78cDEHM\\#8"), st.characters(min_codepoint=0x30, max_codepoint=0x7E)
        )
    )
    return ("\x1b" + inter + final).encode()


@st.composite
def _osc(draw: st.DrawFn) -> bytes:
    command = draw(st.sampled_from(["0;", "1;", "2;", ";", "52;c;", "4;", "", "2"]))
    end = draw(st.sampled_from(["\x07", "\x1b\\", "\u009c", "\x18", ""]))
    return ("\x1b]" + command + draw(_TEXT) + end).encode()


@st.composite
def _positioned_text(draw: st.DrawFn) -> bytes:
    row, col = draw(st.integers(1, 9)), draw(st.integers(1, 13))
    return f"\x1b[{row};{col}H".encode() + draw(_TEXT).encode()


_CONTROLS = st.sampled_from(
    [b"\r", b"\n", b"\r\n", b"\t", b"\x08", b"\x07", b"\x00", b"\x0b", b"\x0e", b"\x18"]
    + [b"\x1a", b"\x7f", b"\x1b", b"\x1bP1;2q", b"\x1b_x", b"\x1b\\", b"\x9b", b"\xe2\x82"]
    + [chr(c).encode() for c in (0x84, 0x85, 0x88, 0x8D, 0x90, 0x9B, 0x9C, 0x9D, 0x9E)]
)
_FRAGMENT = st.one_of(
    _TEXT.map(str.encode),
    _positioned_text(),
    _CONTROLS,
    _csi(),
    _escape(),
    _osc(),
    st.binary(max_size=3),
)


@st.composite
def escape_heavy(draw: st.DrawFn) -> bytes:
    """Escape sequences, text and controls, sometimes with bytes dropped or flipped."""
    data = bytearray(b"".join(draw(st.lists(_FRAGMENT, max_size=60))))
    for _ in range(draw(st.integers(0, 3))):
        if data:
            where = draw(st.integers(0, len(data) - 1))
            if draw(st.booleans()):
                del data[where]
            else:
                data[where] = draw(st.integers(0, 255))
    return bytes(data)


_SIZES = st.tuples(st.integers(1, 12), st.integers(1, 8))
_OPS = st.lists(st.one_of(escape_heavy(), st.binary(max_size=64), _SIZES), max_size=8)


def _apply(emulator: Emulator, ops: list[Op]) -> None:
    for op in ops:
        if isinstance(op, bytes):
            emulator.feed(op)
        else:
            emulator.resize(*op)


def _check_bounds(frame: Frame) -> None:
    assert 0 <= frame.cursor_row < frame.height
    assert 0 <= frame.cursor_col < frame.width
    assert len(frame.rows) == frame.height
    assert all(len(row.cells) == frame.width for row in frame.rows)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(size=_SIZES, ops=_OPS)
def test_nothing_raises_and_everything_stays_in_bounds(
    size: tuple[int, int], ops: list[Op]
) -> None:
    emulator = Emulator(*size)
    for op in ops:
        _apply(emulator, [op])
        _check_bounds(emulator.frame())
        assert isinstance(emulator.take_replies(), bytes)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(size=_SIZES, ops=_OPS)
def test_fast_paths_match_one_code_point_at_a_time(size: tuple[int, int], ops: list[Op]) -> None:
    fast, slow = Emulator(*size), slow_emulator(*size)
    _apply(fast, ops)
    _apply(slow, ops)
    assert canonical(fast.frame()) == canonical(slow.frame())
    assert fast.frame().rows == tuple(
        r._replace(gen=f.gen) for r, f in zip(slow.frame().rows, fast.frame().rows)
    )
    assert fast.take_replies() == slow.take_replies()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(size=_SIZES, data=escape_heavy(), cuts=st.lists(st.integers(0, 400), max_size=6))
def test_chunking_does_not_matter(size: tuple[int, int], data: bytes, cuts: list[int]) -> None:
    whole = Emulator(*size)
    whole.feed(data)
    pieces = Emulator(*size)
    bounds = [0, *sorted(c for c in cuts if c < len(data)), len(data)]
    for start, end in zip(bounds, bounds[1:]):
        pieces.feed(data[start:end])
    assert canonical(whole.frame()) == canonical(pieces.frame())


@settings(max_examples=100, deadline=None, derandomize=True)
@given(size=_SIZES, ops=_OPS)
def test_from_frame_round_trip(size: tuple[int, int], ops: list[Op]) -> None:
    emulator = Emulator(*size)
    _apply(emulator, ops)
    frame = emulator.frame()
    assert Emulator.from_frame(frame).frame() == frame
