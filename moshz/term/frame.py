"""The immutable screen model that every layer above the emulator sees.

A ``Frame`` is a snapshot of a terminal as mosh models it (PROTOCOL.md section
8.1): rows of cells, the cursor, and the few modes that travel on the wire.
Frames are values: unchanged rows are shared between snapshots, so taking a
snapshot is cheap and comparing two frames can stop at the first row object
that is the same. Nothing here knows about pyte, escape sequences or sockets.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Iterator, NamedTuple

# Colour encoding, as mosh stores it (section 8.2): 0 is the default colour;
# foreground 30..37 are ANSI colours 0-7 and 30+N (N = 8..255) a 256-colour
# index; background likewise from base 40; TRUECOLOR | 0xRRGGBB a 24-bit colour.
TRUECOLOR = 0x1000000
FG_BASE = 30
BG_BASE = 40


class Renditions(NamedTuple):
    """Character attributes and colours of a cell (mosh's ``Renditions``)."""

    bold: bool = False
    italic: bool = False
    underlined: bool = False
    blink: bool = False
    inverse: bool = False
    invisible: bool = False
    fg: int = 0
    bg: int = 0

    def sgr(self) -> str:
        """The absolute SGR sequence mosh emits for these renditions."""
        parts = ["\x1b[0"]
        for flag, code in (
            (self.bold, ";1"),
            (self.italic, ";3"),
            (self.underlined, ";4"),
            (self.blink, ";5"),
            (self.inverse, ";7"),
            (self.invisible, ";8"),
        ):
            if flag:
                parts.append(code)
        parts.append(_colour_sgr(self.fg, FG_BASE))
        parts.append(_colour_sgr(self.bg, BG_BASE))
        parts.append("m")
        return "".join(parts)


def _colour_sgr(colour: int, base: int) -> str:
    if colour == 0:
        return ""
    if colour & TRUECOLOR:
        rgb = colour & 0xFFFFFF
        return ";%d;2;%d;%d;%d" % (base + 8, rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF)
    index = colour - base
    if index >= 8:
        return ";%d;5;%d" % (base + 8, index)
    return ";%d" % colour


def indexed_colour(index: int, background: bool = False) -> int:
    """The stored form of 256-colour ``index`` (0-7 equal the ANSI colours)."""
    return (BG_BASE if background else FG_BASE) + index


def rgb_colour(red: int, green: int, blue: int) -> int:
    """The stored form of a 24-bit colour."""
    return TRUECOLOR | (red << 16) | (green << 8) | blue


DEFAULT_RENDITIONS = Renditions()


class Cell(NamedTuple):
    """One screen cell: a grapheme (base plus combining characters) and its looks.

    ``contents`` is "" for a blank cell. ``wide`` marks a double-width
    character (the next cell is its blank right half). ``fallback`` marks a
    cell whose contents start with a combining character.
    """

    contents: str = ""
    renditions: Renditions = DEFAULT_RENDITIONS
    wide: bool = False
    fallback: bool = False

    @property
    def width(self) -> int:
        """Columns this cell occupies when drawn."""
        return 2 if self.wide else 1

    def is_blank(self) -> bool:
        """True for an erased cell (no contents), whatever its colours."""
        return not self.contents


BLANK_CELL = Cell()

_generations = itertools.count(1)


def new_generation() -> int:
    """A fresh row generation number (mosh's per-row ``gen``)."""
    return next(_generations)


class Row(NamedTuple):
    """An immutable row of cells.

    ``wrap`` is mosh's wrap flag of the row's last cell: the row continues on
    the next one. ``gen`` identifies the row's origin: a row that moved
    (scrolled) keeps its gen, a rewritten one gets a new gen. Two rows are
    equal only with equal gen, cells and wrap, which is what scroll detection
    in the renderer relies on (section 9 step 8).
    """

    cells: tuple[Cell, ...]
    wrap: bool = False
    gen: int = 0

    @classmethod
    def blank(cls, width: int, renditions: Renditions = DEFAULT_RENDITIONS) -> Row:
        """A row of ``width`` erased cells with background-colour-erase renditions."""
        cell = BLANK_CELL if renditions == DEFAULT_RENDITIONS else Cell("", renditions)
        return cls((cell,) * width, False, new_generation())

    def same_content(self, other: Row) -> bool:
        """Equal cells and wrap flag, whatever the generation."""
        return self is other or (self.cells == other.cells and self.wrap == other.wrap)

    def text(self) -> str:
        """The row as plain text (blank cells as spaces), for tests and debugging."""
        out = []
        skip = False
        for cell in self.cells:
            if skip:
                skip = False
                continue
            out.append(cell.contents or " ")
            skip = cell.wide
        return "".join(out)


def blank_rows(width: int, height: int) -> tuple[Row, ...]:
    """``height`` distinct blank rows (each with its own generation)."""
    return tuple(Row.blank(width) for _ in range(height))


@dataclass(frozen=True, eq=False)
class Frame:
    """A terminal snapshot: what the server synchronizes and the client paints.

    Equality follows mosh (section 8.1): rows, title, clipboard, bell count,
    size, cursor, cursor visibility, reverse video, current renditions,
    bracketed paste and the mouse modes. The icon name, ``title_initialized``
    and ``application_cursor_keys`` ride along but are not compared.
    """

    width: int
    height: int
    rows: tuple[Row, ...]
    cursor_row: int = 0
    cursor_col: int = 0
    cursor_visible: bool = True
    renditions: Renditions = DEFAULT_RENDITIONS
    reverse_video: bool = False
    bracketed_paste: bool = False
    mouse_reporting: int = 0  # 0 none, else 9, 1000, 1001, 1002 or 1003
    mouse_focus_event: bool = False  # DEC mode 1004
    mouse_alternate_scroll: bool = False  # DEC mode 1007
    mouse_encoding: int = 0  # 0 default, else 1005, 1006 or 1015
    application_cursor_keys: bool = False  # DEC mode 1; server-side input translation only
    window_title: str = ""
    icon_name: str = ""
    title_initialized: bool = False
    clipboard: str = ""
    bell_count: int = 0

    @classmethod
    def blank(cls, width: int, height: int) -> Frame:
        """An empty screen of the given size, cursor home, default modes."""
        return cls(width, height, blank_rows(width, height))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Frame):
            return NotImplemented
        return (
            self.width == other.width
            and self.height == other.height
            and self.cursor_row == other.cursor_row
            and self.cursor_col == other.cursor_col
            and self.cursor_visible == other.cursor_visible
            and self.reverse_video == other.reverse_video
            and self.renditions == other.renditions
            and self.bracketed_paste == other.bracketed_paste
            and self.mouse_reporting == other.mouse_reporting
            and self.mouse_focus_event == other.mouse_focus_event
            and self.mouse_alternate_scroll == other.mouse_alternate_scroll
            and self.mouse_encoding == other.mouse_encoding
            and self.window_title == other.window_title
            and self.clipboard == other.clipboard
            and self.bell_count == other.bell_count
            and _rows_equal(self.rows, other.rows)
        )

    __hash__ = None  # type: ignore[assignment]

    def with_changes(self, **changes: object) -> Frame:
        """A copy with some fields replaced (rows shared unless replaced)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def cell(self, row: int, col: int) -> Cell:
        """The cell at (row, col)."""
        return self.rows[row].cells[col]

    def lines(self) -> Iterator[str]:
        """Each row as plain text, for tests and debugging."""
        return (row.text() for row in self.rows)


def _rows_equal(a: tuple[Row, ...], b: tuple[Row, ...]) -> bool:
    if a is b:
        return True
    if len(a) != len(b):
        return False
    return all(x is y or x == y for x, y in zip(a, b))
