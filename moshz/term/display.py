"""The frame-to-frame renderer: escape bytes that turn one screen into another.

``new_frame`` follows mosh's own renderer (PROTOCOL.md section 9) so that a
moshz server sends what mosh-server sends, and it only emits what mosh's
client emulator understands (section 8). The client paints its real terminal
with the same function, plus the open/close sequences of section 10.2.

Departures from mosh, each only where mosh's output would leave the peer's
screen different from the frame (the captured sessions are reproduced
exactly): a wide character ending in the last column is redrawn when only the
row's wrap flag changed; the backspace shortcut is not used from the
pending-wrap column (mosh lands one column short); a wide character cut by
the right margin is drawn as a space; one-column rows keep their wrap flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from moshz.term.frame import BLANK_CELL, DEFAULT_RENDITIONS, Cell, Frame, Renditions, Row

_UNKNOWN = -1
_FULL_REPAINT = "\x1b[r\x1b[0m\x1b[H\x1b[2J"
_HIDE_CURSOR = "\x1b[?25l"
_SHOW_CURSOR = "\x1b[?25h"
_MOUSE_REPORTING_OFF = "\x1b[?1003l\x1b[?1002l\x1b[?1001l\x1b[?1000l"
_MOUSE_ENCODING_OFF = "\x1b[?1015l\x1b[?1006l\x1b[?1005l"
_CLOSE = "\x1b[?1l\x1b[0m\x1b[?25h" + _MOUSE_REPORTING_OFF + _MOUSE_ENCODING_OFF
_MIN_ERASE_RUN = 5  # shorter blank runs inside a row are written as spaces


@dataclass(frozen=True)
class Capabilities:
    """What the target terminal supports (terminfo ``ech``, ``bce``, titles)."""

    erase_char: bool = True
    bce: bool = True
    titles: bool = True


DEFAULT_CAPABILITIES = Capabilities()


@lru_cache(maxsize=1024)
def _sgr(renditions: Renditions) -> str:
    """mosh's SGR string, computed once per distinct renditions."""
    return renditions.sgr()


def open_sequence(smcup: bytes = b"") -> bytes:
    """What the client writes to its terminal when it starts or resumes."""
    return smcup + b"\x1b[?1h"


def close_sequence(rmcup: bytes = b"") -> bytes:
    """What the client writes to its terminal when it exits or suspends."""
    return _CLOSE.encode() + rmcup


class _Painter:
    """The output being built and what the target terminal looks like meanwhile."""

    __slots__ = ("caps", "cursor_visible", "out", "renditions", "width", "x", "y")

    def __init__(self, caps: Capabilities, width: int, cursor_visible: bool) -> None:
        self.out: list[str] = []
        self.caps = caps
        self.width = width
        self.x = 0
        self.y = 0
        self.renditions = DEFAULT_RENDITIONS
        self.cursor_visible = cursor_visible

    def forget_cursor(self) -> None:
        """Force the next move to be an absolute one."""
        self.x = self.y = _UNKNOWN

    def move(self, y: int, x: int) -> None:
        """Move the cursor with the cheapest of CR/LF, BS or CUP."""
        old_x, old_y = self.x, self.y
        self.x, self.y = x, y
        if old_y != _UNKNOWN and old_x != _UNKNOWN:
            if x == 0 and 0 <= y - old_y < 5:
                if old_x != 0:
                    self.out.append("\r")
                self.out.append("\n" * (y - old_y))
                return
            if y == old_y and 0 < old_x - x < 5 and old_x < self.width:
                self.out.append("\b" * (old_x - x))
                return
        self.out.append(f"\x1b[{y + 1};{x + 1}H")

    def silent_move(self, y: int, x: int) -> None:
        """Move there if needed, hiding the cursor first so it does not flicker."""
        if self.x == x and self.y == y:
            return
        if self.cursor_visible:
            self.out.append(_HIDE_CURSOR)
            self.cursor_visible = False
        self.move(y, x)

    def set_renditions(self, renditions: Renditions, force: bool = False) -> None:
        """Switch to ``renditions`` with mosh's absolute SGR, unless already there."""
        if force or (renditions is not self.renditions and renditions != self.renditions):
            self.out.append(_sgr(renditions))
            self.renditions = renditions

    def draw(self, cell: Cell) -> int:
        """Print one cell at the cursor; returns its width.

        A wide cell cut by the right margin (a resize leaves those) is drawn
        as a space: printing it would wrap before it (mosh prints it anyway).
        """
        contents = cell.contents
        width = 2 if cell.wide else 1
        if not contents or self.x + width > self.width:
            self.out.append(" ")
            width = 1
        elif cell.fallback:
            self.out.append("\xa0" + contents)
        else:
            self.out.append(contents)
        self.x += width
        return width

    def erase_run(
        self, y: int, end: int, count: int, renditions: Renditions, erase: str | None
    ) -> bool:
        """Blank ``count`` cells ending before column ``end``; True if spaces were written.

        ``erase`` is the erase sequence to use if the terminal's erase would
        give the blanks the right colours, or None to write spaces anyway.
        """
        self.silent_move(y, end - count)
        self.set_renditions(renditions)
        if erase is not None and (self.caps.bce or self.renditions == DEFAULT_RENDITIONS):
            self.out.append(erase)
            return False
        self.out.append(" " * count)
        self.x = end
        return True


def new_frame(
    initialized: bool, old: Frame, new: Frame, caps: Capabilities = DEFAULT_CAPABILITIES
) -> bytes:
    """The bytes that turn a terminal showing ``old`` into one showing ``new``.

    With ``initialized`` false the target's contents are unknown and
    everything is repainted; a size change forces the same.
    """
    painter = _Painter(caps, new.width, old.cursor_visible)
    _header(painter, initialized, old, new)
    if not initialized or old.width != new.width or old.height != new.height:
        painter.out.append(_FULL_REPAINT)
        initialized = False
    else:
        painter.x, painter.y = old.cursor_col, old.cursor_row
        painter.renditions = old.renditions
    if not initialized:
        painter.cursor_visible = False
        painter.out.append(_HIDE_CURSOR)
    _paint_rows(painter, initialized, old, new)
    _footer(painter, initialized, old, new)
    return "".join(painter.out).encode("utf-8", "replace")


def _header(painter: _Painter, initialized: bool, old: Frame, new: Frame) -> None:
    """Bell, titles, clipboard and reverse video, which precede the cells."""
    out = painter.out
    if new.bell_count != old.bell_count:
        out.append("\x07")
    if (
        painter.caps.titles
        and new.title_initialized
        and (
            not initialized
            or new.icon_name != old.icon_name
            or new.window_title != old.window_title
        )
    ):
        out.append(_titles(new.icon_name, new.window_title))
    if new.clipboard != old.clipboard:
        out.append(f"\x1b]52;c;{new.clipboard}\x07")
    if not initialized or new.reverse_video != old.reverse_video:
        out.append("\x1b[?5h" if new.reverse_video else "\x1b[?5l")


def _titles(icon_name: str, window_title: str) -> str:
    """OSC 0 when icon name and title agree, else OSC 1 then OSC 2."""
    if icon_name == window_title:
        return f"\x1b]0;{window_title}\x07"
    return f"\x1b]1;{icon_name}\x07\x1b]2;{window_title}\x07"


def _paint_rows(painter: _Painter, initialized: bool, old: Frame, new: Frame) -> None:
    """Scroll if the screen moved up, then bring every row up to date."""
    if not initialized:
        wrap = False
        for y in range(new.height):
            wrap = _put_row(painter, new, y, None, wrap)
        return
    first, rows = _scroll(painter, old.rows, new)
    wrap = False
    for y in range(first, new.height):
        wrap = _put_row(painter, new, y, rows[y], wrap)


def _same_row(a: Row, b: Row) -> bool:
    """mosh's row equality: the same row (generation) with the same cells."""
    return a is b or (a.gen == b.gen and a.wrap == b.wrap and a.cells == b.cells)


def _find_scroll(rows: Sequence[Row], new: Frame) -> tuple[int, int]:
    """(lines scrolled, height of the scrolled block), or (0, 0) for none."""
    top = new.rows[0]
    for shift, row in enumerate(rows):
        if _same_row(row, top):
            if shift == 0:
                return 0, 0
            height = 1
            while shift + height < new.height and _same_row(new.rows[height], rows[shift + height]):
                height += 1
            return shift, height
    return 0, 0


def _scroll(painter: _Painter, rows: Sequence[Row], new: Frame) -> tuple[int, Sequence[Row]]:
    """Emit the scroll shortcut if it applies.

    Returns the first row left to paint and the rows the terminal now shows.
    """
    shift, height = _find_scroll(rows, new)
    if not shift:
        return 0, rows
    out = painter.out
    painter.set_renditions(DEFAULT_RENDITIONS, force=True)
    bottom = shift + height - 1
    if shift + height == new.height and painter.y == new.height - 1:
        out.append("\r" + "\n" * shift)
        painter.x = 0
    else:
        out.append(f"\x1b[1;{bottom + 1}r")
        painter.forget_cursor()
        painter.silent_move(bottom, 0)
        out.append("\n" * shift)
        out.append("\x1b[r")
        painter.forget_cursor()
    blank = Row((BLANK_CELL,) * new.width, False, _UNKNOWN)
    moved = list(rows[shift : bottom + 1]) + [blank] * shift + list(rows[bottom + 1 :])
    return height, moved


def _put_row(painter: _Painter, new: Frame, y: int, old_row: Row | None, wrap_in: bool) -> bool:
    """Bring row ``y`` up to date; True if the terminal is left to wrap into row y+1.

    ``old_row`` is what the terminal shows there, or None if unknown.
    """
    row = new.rows[y]
    cells = row.cells
    x = 0
    if wrap_in:
        cell = cells[0]
        painter.set_renditions(cell.renditions)
        x = painter.draw(cell)
    # (a one-column row just filled by the wrap still has its own wrap to carry)
    if old_row is not None and x < new.width and (row is old_row or row.same_content(old_row)):
        return False
    wrote_last = _put_cells(painter, row, y, x, old_row)
    if not wrote_last or y >= new.height - 1:
        return False
    painter.x, painter.y = 0, y + 1
    if row.wrap:
        return True
    painter.out.append("\r\n")
    return False


def _put_cells(painter: _Painter, row: Row, y: int, x: int, old_row: Row | None) -> bool:
    """Draw the changed cells of ``row`` from column ``x``; True if the last one was written.

    A cell the terminal already shows is skipped; the wrap flag belongs to
    whichever cell covers the last column, so that one must match it too.
    """
    cells = row.cells
    width = len(cells)
    old_cells = None if old_row is None else old_row.cells
    same_wrap = old_row is not None and row.wrap == old_row.wrap
    clear_count = 0
    blank = DEFAULT_RENDITIONS
    wrote_last = x >= width  # a row already filled by the wrap (one column wide)
    while x < width:
        cell = cells[x]
        if not clear_count and old_cells is not None:
            old = old_cells[x]
            if cell is old or cell == old:
                step = 2 if cell.wide else 1
                if x + step < width or same_wrap:
                    x += step
                    continue
        if not cell.contents:
            if not clear_count:
                blank = cell.renditions
            if cell.renditions == blank:
                clear_count += 1
                x += 1
                continue
        if clear_count:
            painter.erase_run(y, x, clear_count, blank, _erase_chars(painter.caps, clear_count))
            clear_count = 0
            if not cell.contents:
                blank = cell.renditions
                clear_count = 1
                x += 1
                continue
        if row.wrap and x + cell.width >= width:
            painter.forget_cursor()
        painter.silent_move(y, x)
        painter.set_renditions(cell.renditions)
        end = _run_end(cells, x, old_row)
        if end > x + 1:
            painter.out.append("".join([each.contents for each in cells[x:end]]))
            painter.x += end - x
            x = end
        else:
            x += painter.draw(cell)
        wrote_last = x >= width
    if clear_count:
        return painter.erase_run(y, x, clear_count, blank, None if row.wrap else "\x1b[K")
    return wrote_last


def _run_end(cells: tuple[Cell, ...], start: int, old_row: Row | None) -> int:
    """End of the run of changed one-column cells from ``start`` sharing its renditions.

    The run is empty if ``start`` is not such a cell, and stops before the last
    column, whose wrap flag needs the general path.
    """
    renditions = cells[start].renditions
    old_cells = old_row.cells if old_row is not None else None
    end = start
    stop = len(cells) - 1
    while end < stop:
        cell = cells[end]
        if cell.renditions != renditions or cell.wide or cell.fallback or not cell.contents:
            break
        if end > start and old_cells is not None:
            old = old_cells[end]
            if cell is old or cell == old:
                break
        end += 1
    return end


def _erase_chars(caps: Capabilities, count: int) -> str | None:
    """ECH for a blank run inside a row, if available and worth it."""
    if caps.erase_char and count >= _MIN_ERASE_RUN:
        return f"\x1b[{count}X"
    return None


def _footer(painter: _Painter, initialized: bool, old: Frame, new: Frame) -> None:
    """Cursor, renditions and the modes that follow the cells."""
    out = painter.out
    if not initialized or new.cursor_row != painter.y or new.cursor_col != painter.x:
        painter.move(new.cursor_row, new.cursor_col)
    if not initialized or new.cursor_visible != painter.cursor_visible:
        out.append(_SHOW_CURSOR if new.cursor_visible else _HIDE_CURSOR)
    painter.set_renditions(new.renditions, force=not initialized)
    if not initialized or new.bracketed_paste != old.bracketed_paste:
        out.append("\x1b[?2004h" if new.bracketed_paste else "\x1b[?2004l")
    if not initialized or new.mouse_reporting != old.mouse_reporting:
        out.append(_switch_mode(old.mouse_reporting, new.mouse_reporting, _MOUSE_REPORTING_OFF))
    if not initialized or new.mouse_focus_event != old.mouse_focus_event:
        out.append("\x1b[?1004h" if new.mouse_focus_event else "\x1b[?1004l")
    if not initialized or new.mouse_encoding != old.mouse_encoding:
        out.append(_switch_mode(old.mouse_encoding, new.mouse_encoding, _MOUSE_ENCODING_OFF))


def _switch_mode(old_mode: int, new_mode: int, all_off: str) -> str:
    """Turn a multi-valued DEC mode from ``old_mode`` to ``new_mode`` (0 = off)."""
    if not new_mode:
        return all_off
    reset = f"\x1b[?{old_mode}l" if old_mode else ""
    return f"{reset}\x1b[?{new_mode}h"
