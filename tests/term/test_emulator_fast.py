"""The emulator's fast paths (blocks of lines, token runs, compiled SGR) change nothing.

Every stream is fed to the real emulator, whole and in pieces, and to the
reference that takes one code point at a time; screens and drawing state must
be identical (row generations compared by pattern, as their numbers are global).
"""

from __future__ import annotations

import re
from typing import Union

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.term.emulator import Emulator
from moshz.term.frame import DEFAULT_RENDITIONS, Renditions, Row, new_generation
from moshz.term.params import param, parse_params
from moshz.term.sgr import apply_sgr
from moshz.term.wcwidth import narrow_class, wcwidth
from tests.term.emulator_support import canonical, slow_emulator

Op = Union[bytes, "tuple[int, int]"]

_LINE_TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("\u00e9\u2500\u00ad\u0301\u65e5\U0001d400\u200b\u0416"),
    ),
    max_size=14,
)
_LINE_END = st.sampled_from(["\r\n", "\r\n", "\r\r\n", "\n", "\r"])
_LINE = st.builds(lambda text, end: (text + end).encode(), _LINE_TEXT, _LINE_END)
_BLOCK = st.lists(_LINE, min_size=1, max_size=40).map(b"".join)
_SETUP = st.sampled_from(
    [b"\x1b[2;5r", b"\x1b[3;4r\x1b[4;1H", b"\x1b[2;3r\x1b[6;1H", b"\x1b[1;1r", b"\x1b[r"]
    + [b"\x1b[4h", b"\x1b[4l", b"\x1b[?6h", b"\x1b[?6l", b"\x1b[?7l", b"\x1b[?7h"]
    + [b"\x1b[41m", b"\x1b[1;38;2;1;2;3m", b"\x1b[0m", b"\x1b[2;3H", b"\x1b[9G", b"\x1bM"]
    + [b"abcdefghijklmnop", b"\xc3\xa9\xcc\x81", b"\x1b7", b"\x1b8", b"\x1b[?25l\x07\x08\t"]
)
_SIZES = st.tuples(st.integers(1, 12), st.integers(1, 8))
_OPS = st.lists(st.one_of(_BLOCK, _BLOCK, _SETUP, _SIZES), max_size=10)


def _apply(emulator: Emulator, ops: list[Op], cuts: list[int]) -> None:
    for op in ops:
        if isinstance(op, tuple):
            emulator.resize(*op)
            continue
        bounds = [0, *sorted(c for c in cuts if c < len(op)), len(op)]
        for start, end in zip(bounds, bounds[1:]):
            emulator.feed(op[start:end])


def _drawing_state(emulator: Emulator) -> tuple[object, ...]:
    screen = emulator._screen
    return (screen.will_wrap, screen.combining, screen.top, screen.bottom, screen.renditions)


def _assert_same(fast: Emulator, slow: Emulator) -> None:
    assert canonical(fast.frame()) == canonical(slow.frame())
    assert fast.frame().rows == tuple(
        r._replace(gen=f.gen) for r, f in zip(slow.frame().rows, fast.frame().rows)
    )
    assert _drawing_state(fast) == _drawing_state(slow)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(size=_SIZES, ops=_OPS, cuts=st.lists(st.integers(0, 300), max_size=4))
def test_lines_match_one_code_point_at_a_time(
    size: tuple[int, int], ops: list[Op], cuts: list[int]
) -> None:
    fast, slow = Emulator(*size), slow_emulator(*size)
    _apply(fast, ops, cuts)
    _apply(slow, ops, [])
    _assert_same(fast, slow)


_ESCAPE_ATOMS = st.sampled_from(
    ["ab", "\u00e9", "\u65e5", "\r\n", "\x1b[31mxy", "\x1b[48;2;1;2;3m", "\x1b[2;5r", "\x1b[3A"]
    + ["\x1b[?25l", "\x1b[>c", "\x1b[1:2m", "\x1b[ q", "\x1b[", "\x1b7", "\x1b8", "\x1b(0"]
    + ["\x1bP1$q\x1b\\", "\x1b]2;t\x07", "\x1b]0;u\x1b\\", "\x1bX", "\x1b^", "\x1b_", "\x1b#8"]
    + ["\x1bM", "\x1bD", "\x1bE", "\x1b ", "\x9b2J", "\x90q\x9c", "\x7f", "\t\x08\x07"]
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    size=_SIZES,
    atoms=st.lists(_ESCAPE_ATOMS, max_size=30),
    cuts=st.lists(st.integers(0, 200), max_size=4),
)
def test_escape_streams_match_one_code_point_at_a_time(
    size: tuple[int, int], atoms: list[str], cuts: list[int]
) -> None:
    """Tokens stop where strings (DCS, OSC, SOS/PM/APC) and unfinished sequences start."""
    stream = "".join(atoms).encode()
    fast, slow = Emulator(*size), slow_emulator(*size)
    _apply(fast, [stream], cuts)
    _apply(slow, [stream], [])
    _assert_same(fast, slow)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(size=_SIZES, ops=_OPS, block=_BLOCK)
def test_rows_kept_across_feeds_keep_their_generation(
    size: tuple[int, int], ops: list[Op], block: bytes
) -> None:
    fast, slow = Emulator(*size), slow_emulator(*size)
    _apply(fast, ops, [])
    _apply(slow, ops, [])
    before_fast, before_slow = fast.frame().rows, slow.frame().rows
    fast.feed(block)
    slow.feed(block)
    assert _gen_pattern(before_fast + fast.frame().rows) == _gen_pattern(
        before_slow + slow.frame().rows
    )


def _gen_pattern(rows: tuple[Row, ...]) -> list[int]:
    numbers: dict[int, int] = {}
    return [numbers.setdefault(row.gen, len(numbers)) for row in rows]


def test_rows_that_scroll_away_are_never_built() -> None:
    emulator = Emulator(80, 24)
    first = new_generation()
    emulator.feed(b"".join(b"%d\r\n" % n for n in range(10000)))
    assert new_generation() - first < 100
    frame = emulator.frame()
    assert [line.rstrip() for line in frame.lines()] == [str(n) for n in range(9977, 10000)] + [""]
    assert (frame.cursor_row, frame.cursor_col) == (23, 0)
    assert len({row.gen for row in frame.rows}) == 24


def test_a_line_as_wide_as_the_screen_does_not_wrap() -> None:
    emulator = Emulator(4, 2)
    emulator.feed(b"\x1b[?7l\r\nabcd\r\nefgh\r\n")
    frame = emulator.frame()
    assert list(frame.lines()) == ["efgh", "    "]
    assert not frame.rows[0].wrap


def _sgr(params: str, start: Renditions = DEFAULT_RENDITIONS) -> Renditions:
    emulator = Emulator.from_frame(Emulator(4, 2).frame().with_changes(renditions=start))
    emulator.feed(f"\x1b[{params}m".encode())
    return emulator.frame().renditions


def test_sgr_reset_in_the_middle_drops_what_came_before() -> None:
    assert _sgr("1;31;0;4") == Renditions(underlined=True)
    assert _sgr("4;0", Renditions(bold=True)) == Renditions()
    assert _sgr("0;38;5;200;1") == Renditions(bold=True, fg=230)
    assert _sgr("31;32;39", Renditions(fg=33)) == Renditions()


def test_sgr_programs_depend_only_on_the_parameters() -> None:
    blue = Renditions(italic=True, bg=44)
    assert _sgr("1;31", blue) == Renditions(bold=True, italic=True, fg=31, bg=44)
    assert _sgr("1;31") == Renditions(bold=True, fg=31)


def test_narrow_class_is_exactly_what_prints_one_column_wide() -> None:
    narrow = re.compile(f"[{narrow_class()}]")
    for cp in range(0x10000):
        one_column = 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xFF or wcwidth(cp) == 1
        assert bool(narrow.match(chr(cp))) == one_column, hex(cp)


_ON = {1: 0, 3: 1, 4: 2, 5: 3, 7: 4, 8: 5}  # SGR code -> the Renditions flag it sets
_OFF = {22: 0, 23: 1, 24: 2, 25: 3, 27: 4, 28: 5}  # ... and the one it clears


def _reference_sgr(renditions: Renditions, text: str) -> Renditions:
    """PROTOCOL.md 8.2's table, one parameter at a time."""
    params = parse_params(text)
    values: list[bool | int] = list(renditions)
    i = 0
    while i < len(params):
        code, left = param(params, i, 0), len(params) - i
        field = 7 if code == 48 else 6
        if code in (38, 48) and left >= 3 and param(params, i + 1, -1) == 5:
            if param(params, i + 2, 0) <= 255:
                values[field] = (40 if code == 48 else 30) + param(params, i + 2, 0)
            i += 3
            continue
        if code in (38, 48) and left >= 5 and param(params, i + 1, -1) == 2:
            red, green, blue = (param(params, i + k, 0) for k in (2, 3, 4))
            values[field] = (0x1000000 | red << 16 | green << 8 | blue) & 0x1FFFFFF
            i += 5
            continue
        if code == 0:
            values = list(DEFAULT_RENDITIONS)
        elif code in _ON or code in _OFF:
            values[_ON[code] if code in _ON else _OFF[code]] = code in _ON
        elif code in (39, 49):
            values[6 if code == 39 else 7] = 0
        elif 30 <= code <= 37 or 40 <= code <= 47:
            values[6 if code < 40 else 7] = code
        elif 90 <= code <= 97 or 100 <= code <= 107:
            values[6 if code < 100 else 7] = code - 52  # indexes 8..15
        i += 1
    return Renditions(*values)  # type: ignore[arg-type]


_SGR_VALUES = st.sampled_from([0, 1, 2, 5, 9, 255, 256, 300, 65535, 65536, ""])
_SGR_CODES = st.one_of(
    st.sampled_from([0, 1, 3, 4, 5, 7, 8, 22, 23, 24, 25, 27, 28, 2, 9, 21, 53, 38, 48]),
    st.sampled_from([31, 39, 42, 49, 92, 103, 65536, ""]),
)
_SGR_PIECE = st.one_of(
    _SGR_CODES.map(lambda code: [code]),
    st.tuples(st.sampled_from([38, 48]), st.sampled_from([5, 2]), _SGR_VALUES).map(list),
    st.tuples(st.sampled_from([38, 48]), st.just(2), _SGR_VALUES, _SGR_VALUES, _SGR_VALUES).map(
        list
    ),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    pieces=st.lists(_SGR_PIECE, max_size=5),
    start=st.builds(Renditions, st.booleans(), st.booleans(), fg=st.sampled_from([0, 31, 200])),
)
def test_compiled_sgr_matches_the_table(pieces: list[list[object]], start: Renditions) -> None:
    text = ";".join(str(code) for piece in pieces for code in piece)
    assert apply_sgr(start, text) == _reference_sgr(start, text)
