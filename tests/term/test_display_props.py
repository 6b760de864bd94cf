"""Properties of the renderer: its bytes take mosh's emulator from the old frame to the new.

Frames come from random escape streams fed to the Emulator (so rows move and
keep their generations as they do on a server) and from direct construction.
The comparison allows for what mosh's own renderer cannot carry: a blank cell
may come out as a printed space, a cell starting with a combining character
as U+00A0 plus that character, a wide character cut by the right margin as a
space, several bells as one, a cell under a wide character not at all; the wrap flag of the bottom row, mode 1007 and an
empty title are never sent.
"""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.term.display import new_frame
from moshz.term.emulator import Emulator
from moshz.term.frame import Cell, Frame, Renditions, Row, new_generation, rgb_colour

SETTINGS = settings(max_examples=200, deadline=None)

# --- frames from escape streams ----------------------------------------------------------

_PRINTABLE = "ab Z~é日本한\u0301\u0308"
_CONTROLS = ["\r", "\n", "\b", "\t", "\x07", "\x0b", "\x1bD", "\x1bE", "\x1bM", "\x1b7", "\x1b8"]
_RESETS = ["\x1bc", "\x1b#8", "\x1b[!p"]
_DEC_MODES = [1, 3, 5, 6, 7, 9, 25, 47, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1015]
_DEC_MODES += [1047, 1049, 2004]
_params = st.lists(st.integers(0, 12), max_size=3).map(lambda ps: ";".join(map(str, ps)))
_colour = st.one_of(
    st.sampled_from(["31", "42", "39", "49", "97", "104"]),
    st.builds("{};5;{}".format, st.sampled_from([38, 48]), st.integers(0, 255)),
    st.builds("{};2;{};{};{}".format, st.sampled_from([38, 48]), *[st.integers(0, 255)] * 3),
)
_sgr = st.lists(
    st.one_of(_colour, st.sampled_from(["0", "1", "3", "4", "5", "7", "8", "22", "27", ""])),
    max_size=4,
).map(lambda parts: "\x1b[" + ";".join(parts) + "m")
_token = st.one_of(
    st.text(_PRINTABLE, min_size=1, max_size=6),
    st.sampled_from(_CONTROLS),
    st.sampled_from(_RESETS),
    st.builds("\x1b[{}{}".format, _params, st.sampled_from("ABCDEFGHfdJKXPL@MSTrIZg`")),
    _sgr,
    st.builds("\x1b[?{}{}".format, st.sampled_from(_DEC_MODES), st.sampled_from("hl")),
    st.builds("\x1b[4{}".format, st.sampled_from("hl")),
    st.builds("\x1b]{};{}\x07".format, st.sampled_from("012"), st.text("tï ", max_size=4)),
    st.builds("\x1b]52;c;{}\x07".format, st.text("aGk=", max_size=4)),
)
_stream = st.lists(_token, max_size=25).map(lambda tokens: "".join(tokens).encode())
_size = st.tuples(st.integers(1, 10), st.integers(1, 6))


@st.composite
def emulated_pair(draw: Callable[..., Any]) -> tuple[Frame, Frame]:
    """A frame and a later one of the same emulator, sometimes after a resize."""
    width, height = draw(_size)
    emulator = Emulator(width, height)
    emulator.feed(draw(_stream))
    old = emulator.frame()
    if draw(st.booleans()):
        emulator.resize(*draw(_size))
    emulator.feed(draw(_stream))
    return old, emulator.frame()


# --- frames built directly ---------------------------------------------------------------

_renditions = st.builds(
    Renditions,
    bold=st.booleans(),
    underlined=st.booleans(),
    inverse=st.booleans(),
    fg=st.sampled_from([0, 31, 37, 30 + 200, rgb_colour(1, 2, 3)]),
    bg=st.sampled_from([0, 44, 40 + 100, rgb_colour(9, 8, 7)]),
)


@st.composite
def cells(draw: Callable[..., Any], width: int) -> tuple[Cell, ...]:
    """A row's cells as an emulator could leave them."""
    out: list[Cell] = []
    while len(out) < width:
        renditions = draw(_renditions)
        kind = draw(st.sampled_from(["blank", "text", "text", "wide", "combined", "fallback"]))
        if kind == "blank":
            out.append(Cell("", Renditions(bg=renditions.bg)))
        elif kind == "wide" and len(out) < width - 1:
            out.append(Cell(draw(st.sampled_from("日本한")), renditions, wide=True))
            out.append(Cell("", Renditions(bg=renditions.bg)))
        elif kind == "combined":
            out.append(Cell("e\u0301", renditions))
        elif kind == "fallback":
            out.append(Cell("\u0308", renditions, fallback=True))
        else:
            out.append(Cell(draw(st.sampled_from("xY $")), renditions))
    return tuple(out)


@st.composite
def built_frame(draw: Callable[..., Any], width: int, height: int, rows: tuple[Row, ...]) -> Frame:
    """A frame of the given size whose rows are taken from ``rows`` or made up."""
    made: list[Row] = []
    for _ in range(height):
        if rows and draw(st.booleans()):
            made.append(draw(st.sampled_from(rows)))
        else:
            made.append(Row(draw(cells(width)), draw(st.booleans()), new_generation()))
    title = draw(st.text("tï", max_size=3))
    return Frame(
        width,
        height,
        tuple(made),
        cursor_row=draw(st.integers(0, height - 1)),
        cursor_col=draw(st.integers(0, width - 1)),
        cursor_visible=draw(st.booleans()),
        renditions=draw(_renditions),
        reverse_video=draw(st.booleans()),
        bracketed_paste=draw(st.booleans()),
        mouse_reporting=draw(st.sampled_from([0, 9, 1000, 1001, 1002, 1003])),
        mouse_focus_event=draw(st.booleans()),
        mouse_encoding=draw(st.sampled_from([0, 1005, 1006, 1015])),
        window_title=title,
        icon_name=draw(st.sampled_from([title, "icon"])),
        title_initialized=True,
        clipboard=draw(st.text("aGk=", max_size=3)),
        bell_count=draw(st.integers(0, 2)),
    )


@st.composite
def built_pair(draw: Callable[..., Any]) -> tuple[Frame, Frame]:
    """Two frames of one size; the new one reuses (possibly moved) rows of the old."""
    width, height = draw(_size)
    old = draw(built_frame(width, height, ()))
    return old, draw(built_frame(width, height, old.rows))


# --- the comparison ----------------------------------------------------------------------


def _shown(cell: Cell, cut: bool) -> tuple[str, Renditions, bool]:
    if not cell.contents or cut:
        return " ", cell.renditions, False
    return ("\xa0" if cell.fallback else "") + cell.contents, cell.renditions, cell.wide


def _shown_row(row: Row, wrap: bool) -> tuple[Any, ...]:
    """The cells as drawn; a cell under the right half of a wide character is never seen."""
    last = len(row.cells) - 1
    shown = []
    hidden = False
    for x, cell in enumerate(row.cells):
        shown.append(None if hidden else _shown(cell, x == last and cell.wide))
        hidden = cell.wide and not hidden
    return tuple(shown), wrap and row.wrap


def looks(frame: Frame, old: Frame) -> tuple[Any, ...]:
    """What a frame shows, as far as mosh's renderer can convey it from ``old``."""
    rows = tuple(_shown_row(row, y < frame.height - 1) for y, row in enumerate(frame.rows))
    title = (frame.window_title, frame.icon_name) if frame.title_initialized else ("", "")
    modes = (frame.bracketed_paste, frame.mouse_reporting, frame.mouse_focus_event)
    return (
        frame.width,
        frame.height,
        rows,
        (frame.cursor_row, frame.cursor_col, frame.cursor_visible),
        frame.renditions,
        frame.reverse_video,
        modes + (frame.mouse_encoding,),
        title,
        frame.clipboard,
        min(abs(frame.bell_count - old.bell_count), 1),
    )


def replayed(start: Frame, data: bytes, new: Frame) -> Frame:
    """What a client showing ``start`` shows after the resize to ``new``'s size and ``data``."""
    emulator = Emulator.from_frame(start)
    emulator.resize(new.width, new.height)
    emulator.feed(data)
    return emulator.frame()


def check(old: Frame, new: Frame) -> None:
    """Both the incremental and the full repaint take the terminal to ``new``."""
    incremental = replayed(old, new_frame(True, old, new), new)
    assert looks(incremental, old) == looks(new, old)
    repainted = replayed(old, new_frame(False, old, new), new)
    assert looks(repainted, old) == looks(new, old)


@SETTINGS
@given(emulated_pair())
def test_emulated_frames_round_trip(pair: tuple[Frame, Frame]) -> None:
    check(*pair)


@SETTINGS
@given(built_pair())
def test_built_frames_round_trip(pair: tuple[Frame, Frame]) -> None:
    check(*pair)


@SETTINGS
@given(emulated_pair())
def test_full_repaint_from_a_blank_terminal(pair: tuple[Frame, Frame]) -> None:
    _, new = pair
    blank = Emulator(new.width, new.height).frame()
    assert looks(replayed(blank, new_frame(False, blank, new), new), blank) == looks(new, blank)
