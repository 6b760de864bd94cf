"""mosh's framebuffer and drawing state, driven by the parser (PROTOCOL.md 8.1, 8.4-8.7).

``Screen`` is the mutable half of the emulator: the parser calls its methods
(printing, controls, escape functions, OSC; CSI functions live in ``csi.py``),
``Emulator`` turns it into immutable ``Frame`` snapshots. Everything follows mosh 1.4's semantics,
plus an alternate screen buffer (modes 47, 1047, 1049) that mosh lacks.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from moshz.term.frame import DEFAULT_RENDITIONS, Cell, Renditions
from moshz.term.grid import Grid, blank_cell
from moshz.term.wcwidth import wcwidth

_RUNS = re.compile("[\x20-\x7e]+|[^\x20-\x7e]+")
_MAX_CONTENTS_BYTES = 32


class SavedCursor(NamedTuple):
    """What DECSC keeps and DECRC brings back."""

    col: int = 0
    row: int = 0
    renditions: Renditions = DEFAULT_RENDITIONS
    auto_wrap: bool = True
    origin_mode: bool = False


def _default_tabs(start: int, end: int) -> list[bool]:
    return [col % 8 == 0 for col in range(start, end)]


class Screen:
    """The terminal state that host output edits: rows, cursor, modes, titles."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.main = Grid.blank(width, height)
        self.alternate: Grid | None = None
        self.grid = self.main
        self.bell_count = 0
        self.window_title = ""
        self.icon_name = ""
        self.title_initialized = False
        self.clipboard = ""
        self.replies: list[str] = []
        self._reset_drawing_state()

    def _reset_drawing_state(self) -> None:
        self.cursor_row = 0
        self.cursor_col = 0
        self.combining = (0, 0)
        self.default_tabs = True
        self.tabs = _default_tabs(0, self.width)
        self.top = 0
        self.bottom = self.height - 1
        self.renditions = DEFAULT_RENDITIONS
        self.saved = SavedCursor()
        self.will_wrap = False
        self.origin_mode = False
        self.auto_wrap = True
        self.insert_mode = False
        self.cursor_visible = True
        self.reverse_video = False
        self.bracketed_paste = False
        self.application_cursor_keys = False
        self.mouse_reporting = 0
        self.mouse_focus_event = False
        self.mouse_alternate_scroll = False
        self.mouse_encoding = 0

    # Cursor movement (mosh's DrawState::move_row / move_col). The cursor is always on the
    # screen (inside the scrolling region in origin mode), so moves clamp only what they change.

    def _snap(self) -> None:
        if self.origin_mode:
            top, bottom = self.top, self.bottom
        else:
            top, bottom = 0, self.height - 1
        row = self.cursor_row
        if row < top:
            self.cursor_row = top
        elif row > bottom:
            self.cursor_row = bottom
        col = self.cursor_col
        if col < 0:
            self.cursor_col = 0
        elif col >= self.width:
            self.cursor_col = self.width - 1

    def move_row(self, n: int, relative: bool = False) -> None:
        """Move to row ``n`` (origin-relative) or by ``n`` rows, clamped."""
        if self.origin_mode:
            top, bottom = self.top, self.bottom
        else:
            top, bottom = 0, self.height - 1
        row = self.cursor_row + n if relative else n + top
        self.cursor_row = row = top if row < top else bottom if row > bottom else row
        self.combining = (row, self.cursor_col)
        self.will_wrap = False

    def move_col(self, n: int, relative: bool = False) -> None:
        """Move to column ``n`` or by ``n`` columns, clamped."""
        col = self.cursor_col + n if relative else n
        last = self.width - 1
        self.cursor_col = col = 0 if col < 0 else last if col > last else col
        self.combining = (self.cursor_row, col)
        self.will_wrap = False

    def _advance(self, n: int) -> None:
        """The move after printing ``n`` columns: past the last one, a pending wrap instead."""
        col = self.cursor_col
        self.combining = (self.cursor_row, col)
        col += n
        self.will_wrap = col >= self.width
        self.cursor_col = min(col, self.width - 1)

    def scroll(self, n: int) -> None:
        """Scroll the region up by ``n`` rows (down if negative); the cursor stays."""
        bg = self.renditions.bg
        if n >= 0:
            self.grid.delete_lines(self.top, n, self.top, self.bottom, bg)
        else:
            self.grid.insert_lines(self.top, -n, self.top, self.bottom, bg)

    # Printing (8.4).

    def draw(self, text: str) -> None:
        """Print a run of printable characters."""
        if text.isascii() and text.isprintable():
            self.draw_narrow(text)
            return
        for run in _RUNS.findall(text):
            if run[0] <= "~":
                self.draw_narrow(run)
            else:
                for char in run:
                    self._print_char(char)

    def draw_narrow(self, text: str) -> None:
        """Print a run of characters one column wide (see ``wcwidth.narrow_class``)."""
        col = self.cursor_col
        stop = col + len(text)
        if stop < self.width and not self.will_wrap and not self.insert_mode:  # the usual case
            self.grid.lines[self.cursor_row].note((col, stop, text, self.renditions))
            self.combining = (self.cursor_row, stop - 1)
            self.cursor_col = stop
        elif self.insert_mode:
            for char in text:
                self._print_char(char)
        else:
            self._print_narrow(text)

    def print_lines(self, block: str) -> None:
        """Print lines of one-column characters (each fits a row), each ended by CRs and one LF.

        The result is exactly that of taking them one by one, but rows that would
        scroll in and out again within the block are never built.
        """
        if block == "\r\n":  # the usual end of a line of coloured text
            self.carriage_return()
            self.linefeed()
            return
        if self.cursor_col or self.will_wrap:
            first, _, block = block.partition("\n")
            self._print_line(first)
        if self.insert_mode or not self.top <= self.cursor_row <= self.bottom:
            for line in block.split("\n")[:-1]:
                self._print_line(line)
        elif block:
            self._print_lines_scrolling(block)

    def _print_line(self, line: str) -> None:
        """One line of ``print_lines``, the general way: its text, CR, LF."""
        text = line.rstrip("\r")
        if text:
            self.draw_narrow(text)
        self.carriage_return()
        self.linefeed()

    def _print_lines_scrolling(self, block: str) -> None:
        """``print_lines`` from column 0 inside the region, not inserting: scroll once, write the survivors."""
        count = block.count("\n")
        top, height = self.top, self.bottom + 1 - self.top
        start = self.cursor_row - top
        scrolls = max(0, start + count - (height - 1))
        first_kept = max(0, scrolls - start)
        kept = count - first_kept
        self.grid.scroll_up_one_by_one(top, self.bottom, scrolls, self.renditions.bg)
        row = top + start + first_kept - scrolls
        for line in block.rsplit("\n", kept + 1)[-kept - 1 : -1]:
            text = line.rstrip("\r")
            if text:
                self.grid.write(row, 0, text, self.renditions)
            row += 1
        self.cursor_row = top + min(start + count, height - 1)
        self.combining = (self.cursor_row, 0)

    def _print_narrow(self, text: str) -> None:
        """Width-1 characters, a row's worth at a time (same result as one by one)."""
        width, end = self.width, len(text)
        start = 0
        while start < end:
            if self.will_wrap and self.auto_wrap:
                self._wrap_line()
            col = self.cursor_col
            if col == width - 1 and not self.auto_wrap:
                start = end - 1
            stop = min(col + end - start, width)
            self.grid.write(self.cursor_row, col, text[start : start + stop - col], self.renditions)
            start += stop - col
            self.combining = (self.cursor_row, stop - 1)
            self.will_wrap = stop >= width
            self.cursor_col = min(stop, width - 1)

    def _wrap_line(self) -> None:
        self.grid.set_wrap(self.cursor_row, True)
        self.carriage_return()
        self.linefeed()

    def _print_char(self, char: str) -> None:
        code = ord(char)
        width = 1 if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else wcwidth(code)
        if width > 0:
            self._print_graphic(char, width)
        elif width == 0:
            self._combine(char)

    def _print_graphic(self, char: str, width: int) -> None:
        bg = self.renditions.bg
        if self.auto_wrap and self.will_wrap:
            self._wrap_line()
        elif self.auto_wrap and width == 2 and self.cursor_col == self.width - 1:
            self.grid.put(self.cursor_row, self.cursor_col, blank_cell(bg))
            self.grid.set_wrap(self.cursor_row, False)
            self.carriage_return()
            self.linefeed()
        row, col = self.cursor_row, self.cursor_col
        if self.insert_mode:
            self.grid.insert_cells(row, col, width, bg)
        self.grid.put(row, col, Cell(char, self.renditions, width == 2))
        if width == 2 and col + 1 < self.width:
            self.grid.put(row, col + 1, blank_cell(bg))
        self._advance(width)

    def _combine(self, char: str) -> None:
        row, col = self.combining
        if not (0 <= row < self.height and 0 <= col < self.width):
            return
        cell = self.grid.lines[row].cells[col]
        if not cell.contents:
            cell = cell._replace(contents=char, fallback=True)
            self._advance(1)
        elif len(cell.contents.encode("utf-8", "surrogatepass")) < _MAX_CONTENTS_BYTES:
            cell = cell._replace(contents=cell.contents + char)
        self.grid.amend(row, col, cell)

    # Control characters and escape functions (8.5).

    def bell(self) -> None:
        """BEL: count it (the client rings when the count changes)."""
        self.bell_count += 1

    def backspace(self) -> None:
        """BS: one column left."""
        self.move_col(-1, True)

    def tab(self) -> None:
        """HT: next tab stop."""
        self.tab_by(1)

    def linefeed(self) -> None:
        """LF, VT, FF, IND: down one row, scrolling at the region bottom."""
        row = self.cursor_row
        if row == self.bottom:
            self.grid.scroll_up_one(self.top, row, self.renditions.bg)
        elif row < self.height - 1:
            self.cursor_row = row = row + 1
        self.combining = (row, self.cursor_col)
        self.will_wrap = False

    def carriage_return(self) -> None:
        """CR: column 0."""
        self.cursor_col = 0
        self.combining = (self.cursor_row, 0)
        self.will_wrap = False

    def next_line(self) -> None:
        """NEL: column 0 and line feed."""
        self.carriage_return()
        self.linefeed()

    def set_tab_stop(self) -> None:
        """HTS: a tab stop at the cursor column."""
        self.tabs[self.cursor_col] = True

    def reverse_index(self) -> None:
        """RI: up one row, scrolling down at the region top."""
        row = self.cursor_row
        if row == self.top:
            self.scroll(-1)
        elif row > 0:
            self.cursor_row = row = row - 1
        self.combining = (row, self.cursor_col)
        self.will_wrap = False

    def save_cursor(self) -> None:
        """DECSC."""
        self.saved = SavedCursor(
            self.cursor_col, self.cursor_row, self.renditions, self.auto_wrap, self.origin_mode
        )

    def restore_cursor(self) -> None:
        """DECRC (clamped: the screen may have shrunk since)."""
        saved = self.saved
        self.cursor_col, self.cursor_row = saved.col, saved.row
        self.renditions = saved.renditions
        self.auto_wrap, self.origin_mode = saved.auto_wrap, saved.origin_mode
        self._snap()
        self.combining = (self.cursor_row, self.cursor_col)

    def full_reset(self) -> None:
        """RIS: everything but the bell count, icon name and title_initialized."""
        self._reset_drawing_state()
        self.main = self.grid = Grid.blank(self.width, self.height)
        self.alternate = None
        self.window_title = ""
        self.clipboard = ""

    def alignment_test(self) -> None:
        """DECALN: fill the screen with ``E``."""
        self.grid.fill(Cell("E", Renditions(bg=self.renditions.bg)))

    def tab_by(self, count: int) -> None:
        """Move ``count`` tab stops forward (backward if negative), keeping the pending wrap."""
        col = self._next_tab(count)
        keep = self.will_wrap
        self.move_col(self.width - 1 if col < 0 else col)
        self.will_wrap = keep

    def _next_tab(self, count: int) -> int:
        if count >= 0:
            for col in range(self.cursor_col + 1, self.width):
                if self.tabs[col]:
                    count -= 1
                    if count == 0:
                        return col
            return -1
        for col in range(self.cursor_col - 1, 0, -1):
            if self.tabs[col]:
                count += 1
                if count == 0:
                    return col
        return 0

    def set_scrolling_region(self, top: int, bottom: int) -> None:
        """Set the scrolling region (clamped; the cursor snaps into it in origin mode)."""
        self.top = max(top, 0)
        self.bottom = max(min(bottom, self.height - 1), self.top)
        if self.origin_mode:
            self._snap()
            self.combining = (self.cursor_row, self.cursor_col)

    def switch_screen(self, code: int, enter: bool) -> None:
        """Beyond mosh: enter or leave the alternate screen (47, 1047, 1049); main stays intact."""
        if enter == (self.grid is not self.main):
            return
        if enter:
            if code == 1049:
                self.save_cursor()
            if self.alternate is None or code == 1049:
                self.alternate = Grid.blank(self.width, self.height, self.renditions.bg)
            self.grid = self.alternate
            return
        if code == 1047:
            self.alternate = None
        self.grid = self.main
        if code == 1049:
            self.restore_cursor()

    # OSC (8.6) and resize (8.7).

    def operating_system_command(self, text: str) -> None:
        """OSC 0/1/2 (titles, up to index 256) and OSC 52;c (clipboard)."""
        if text.startswith("52;c;"):
            self.clipboard = text[5:]
            return
        if text[:1] == ";":
            command, offset = 0, 1
        elif text[1:2] == ";":
            command, offset = ord(text[0]) - ord("0"), 2
        else:
            return
        if command in (0, 1, 2):
            self.title_initialized = True
            value = text[offset:256]
            if command != 2:
                self.icon_name = value
            if command != 1:
                self.window_title = value

    def resize(self, width: int, height: int) -> None:
        """New size: region reset, tabs extended, rows cut or padded, cursor clamped."""
        if (width, height) == (self.width, self.height):
            return
        self.top, self.bottom = 0, height - 1
        tabs = self.tabs[:width]
        if self.default_tabs:
            tabs.extend(_default_tabs(len(tabs), width))
        else:
            tabs.extend([False] * (width - len(tabs)))
        self.tabs = tabs
        for grid in (self.main, self.alternate):
            if grid is not None:
                grid.resize(width, height, self.renditions.bg)
        self.width, self.height = width, height
        self._snap()
        row, col = self.combining
        if col >= width or row >= height:
            self.combining = (-1, -1)
