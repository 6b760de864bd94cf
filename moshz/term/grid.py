"""Mutable screen rows that hand out cheap immutable snapshots.

The emulator edits rows in place (lists of cells); a snapshot freezes each
row into a ``frame.Row`` once and reuses it until the row is edited again, so
unchanged rows are the same objects from one ``Frame`` to the next. Row
generations follow mosh (PROTOCOL.md 8.1): a row created or reset gets a new
generation, editing cells or moving the row keeps it, and the rows created by
one operation share one generation (mosh inserts copies of one new row).
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

from moshz.term.cells import CELLS
from moshz.term.frame import BLANK_CELL, Cell, Renditions, Row, new_generation

_blank_cells: dict[int, Cell] = {0: BLANK_CELL}


def blank_cell(background: int) -> Cell:
    """An erased cell carrying background colour ``background`` (mosh's BCE)."""
    cell = _blank_cells.get(background)
    if cell is None:
        if len(_blank_cells) > 4096:
            _blank_cells.clear()
        cell = _blank_cells[background] = Cell("", Renditions(bg=background))
    return cell


_MAX_NOTED = 256  # writes a row keeps unapplied, so that memory stays bounded
Write = Tuple[int, int, Optional[str], Union[Renditions, int]]
# (start, stop, one-column text or None for an erasure, its renditions or the erase background)


class Line:
    """One editable row; ``row`` caches its snapshot until the next edit.

    Printed text and erasures are noted and only applied when the cells are
    next read: output overwritten before anyone looks (most of a flood of
    colourful, cursor-moving output) never becomes cells.
    """

    __slots__ = ("_cells", "_writes", "gen", "row", "wrap")

    def __init__(self, cells: list[Cell], wrap: bool, gen: int, row: Row | None) -> None:
        self._cells = cells
        self._writes: list[Write] = []
        self.wrap = wrap
        self.gen = gen
        self.row = row

    @classmethod
    def from_row(cls, row: Row) -> Line:
        """An editable copy of a snapshot row (which stays its cached snapshot)."""
        return cls(list(row.cells), row.wrap, row.gen, row)

    @property
    def cells(self) -> list[Cell]:
        """The cells, with every noted write applied."""
        if self._writes:
            self._apply_writes()
        return self._cells

    def note(self, write: Write) -> None:
        """Note a write, to be applied when the cells are next read (or once many are noted)."""
        if len(self._writes) >= _MAX_NOTED:
            self._apply_writes()
        self._writes.append(write)
        self.row = None

    def _apply_writes(self) -> None:
        writes, self._writes = self._writes, []
        cells = self._cells
        for start, stop, text, looks in _visible(writes) if len(writes) > 1 else writes:
            if text is None:
                cells[start:stop] = [blank_cell(looks)] * (stop - start)  # type: ignore[arg-type]
            else:
                cells[start:stop] = CELLS.cells(text, looks)  # type: ignore[arg-type]

    def snapshot(self) -> Row:
        """The row as an immutable value, the same object while unedited."""
        row = self.row
        if row is None:
            row = self.row = Row(tuple(self.cells), self.wrap, self.gen)
        return row


def _visible(writes: list[Write]) -> list[Write]:
    """The writes not wholly covered by later ones, in their order."""
    covered = 0
    kept = []
    for write in reversed(writes):
        start, stop = write[0], write[1]
        columns = ((1 << (stop - start)) - 1) << start
        if columns & ~covered:
            kept.append(write)
            covered |= columns
    kept.reverse()
    return kept


def blank_line(width: int, background: int) -> Line:
    """One erased row with a new generation."""
    cell = _blank_cells.get(background) or blank_cell(background)
    return Line([cell] * width, False, new_generation(), None)


def blank_lines(width: int, count: int, background: int) -> list[Line]:
    """``count`` erased rows sharing one new generation (one mosh ``newrow()``)."""
    cell = blank_cell(background)
    gen = new_generation()
    return [Line([cell] * width, False, gen, None) for _ in range(count)]


class Grid:
    """The rows of one screen buffer (main or alternate) and the edits mosh makes."""

    def __init__(self, width: int, lines: list[Line]) -> None:
        self.width = width
        self.lines = lines

    @classmethod
    def blank(cls, width: int, height: int, background: int = 0) -> Grid:
        """A screen of erased rows, all sharing one generation as in mosh."""
        return cls(width, blank_lines(width, height, background))

    @classmethod
    def from_rows(cls, width: int, rows: tuple[Row, ...]) -> Grid:
        """A grid holding ``rows`` (which become the cached snapshots)."""
        return cls(width, [Line.from_row(row) for row in rows])

    def rows(self) -> tuple[Row, ...]:
        """Snapshot of every row."""
        return tuple(line.snapshot() for line in self.lines)

    def reset_line(self, y: int, background: int) -> None:
        """Erase a whole row, giving it a new generation (mosh ``reset_row``)."""
        self.lines[y] = blank_line(self.width, background)

    def erase(self, y: int, start: int, end: int, background: int) -> None:
        """Erase cells ``start`` .. ``end - 1`` of row ``y``."""
        if start >= end:
            return
        line = self.lines[y]
        line.note((start, end, None, background))
        if end >= self.width:
            line.wrap = False

    def put(self, y: int, x: int, cell: Cell) -> None:
        """Replace one cell (clearing the wrap flag when it is the last one)."""
        line = self.lines[y]
        line.cells[x] = cell
        if x == self.width - 1:
            line.wrap = False
        line.row = None

    def write(self, y: int, x: int, text: str, renditions: Renditions) -> None:
        """Print one-column ``text`` from column ``x`` on (clearing the wrap flag at the end)."""
        line = self.lines[y]
        stop = x + len(text)
        line.note((x, stop, text, renditions))
        if stop == self.width:
            line.wrap = False

    def amend(self, y: int, x: int, cell: Cell) -> None:
        """Replace one cell keeping the wrap flag (adding a combining character)."""
        line = self.lines[y]
        line.cells[x] = cell
        line.row = None

    def fill(self, cell: Cell) -> None:
        """Every cell becomes ``cell``; rows keep their generations (DECALN)."""
        for line in self.lines:
            line.cells[:] = [cell] * self.width
            line.wrap = False
            line.row = None

    def set_wrap(self, y: int, wrap: bool) -> None:
        """Set row ``y``'s wrap flag."""
        line = self.lines[y]
        if line.wrap != wrap:
            line.wrap = wrap
            line.row = None

    def insert_cells(self, y: int, x: int, count: int, background: int) -> None:
        """Shift cells right from column ``x``; the row's end falls off."""
        count = min(count, self.width - x)
        line = self.lines[y]
        line.cells[x:x] = [blank_cell(background)] * count
        del line.cells[self.width :]
        line.wrap = False
        line.row = None

    def delete_cells(self, y: int, x: int, count: int, background: int) -> None:
        """Remove cells at column ``x``; blank cells enter at the row's end."""
        count = min(count, self.width - x)
        line = self.lines[y]
        del line.cells[x : x + count]
        line.cells.extend([blank_cell(background)] * count)
        line.wrap = False
        line.row = None

    def insert_lines(self, at: int, count: int, top: int, bottom: int, background: int) -> None:
        """Insert blank rows at ``at`` inside region top..bottom; the region's end falls off."""
        if at < top or at > bottom + 1:
            return
        count = min(count, bottom + 1 - at)
        if count <= 0:
            return
        del self.lines[bottom + 1 - count : bottom + 1]
        self.lines[at:at] = blank_lines(self.width, count, background)

    def delete_lines(self, at: int, count: int, top: int, bottom: int, background: int) -> None:
        """Remove rows at ``at`` inside region top..bottom; blank rows enter at its end."""
        if at < top or at > bottom:
            return
        count = min(count, bottom + 1 - at)
        if count <= 0:
            return
        del self.lines[at : at + count]
        self.lines[bottom + 1 - count : bottom + 1 - count] = blank_lines(
            self.width, count, background
        )

    def scroll_up_one(self, top: int, bottom: int, background: int) -> None:
        """Scroll region top..bottom up by one row (a line feed at its bottom)."""
        del self.lines[top]
        self.lines.insert(bottom, blank_line(self.width, background))

    def scroll_up_one_by_one(self, top: int, bottom: int, count: int, background: int) -> None:
        """``count`` scrolls of one row in region top..bottom, each new row its own generation.

        Rows that would enter and leave again within the ``count`` scrolls are never made.
        """
        count = min(count, bottom + 1 - top)
        if count <= 0:
            return
        fresh = [blank_line(self.width, background) for _ in range(count)]
        self.lines[top : bottom + 1] = self.lines[top + count : bottom + 1] + fresh

    def resize(self, width: int, height: int, background: int) -> None:
        """mosh's resize: cut or extend at the bottom and right, no reflow (8.7)."""
        old_height = len(self.lines)
        if height < old_height:
            del self.lines[height:]
        if width != self.width:
            pad = [blank_cell(background)] * max(0, width - self.width)
            for line in self.lines:
                del line.cells[width:]
                line.cells.extend(pad)
                line.wrap = False
                line.row = None
            self.width = width
        if height > old_height:
            self.lines.extend(blank_lines(width, height - old_height, background))
