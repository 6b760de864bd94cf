"""Shared cell objects for printed one-column characters.

Printing makes one ``Cell`` per character; most output repeats a few
characters in a few renditions, so the cells are made once per (character,
renditions) pair and reused. That is cheaper than building each one, and rows
holding the same objects compare faster.
"""

from __future__ import annotations

from moshz.term.frame import DEFAULT_RENDITIONS, Cell, Renditions

_MAX_RENDITIONS = 64  # kept at once; a program cycling through more starts over
_new_cell = tuple.__new__  # makes a Cell without the keyword-defaults wrapper (hot path)


class CellCache:
    """The cells for one-column characters in each renditions, made on first use."""

    def __init__(self) -> None:
        self._by_renditions: dict[Renditions, dict[str, Cell]] = {}
        self._renditions = DEFAULT_RENDITIONS  # the last renditions asked for ...
        self._cells: dict[str, Cell] = self._table(DEFAULT_RENDITIONS)  # ... and their table

    def cells(self, text: str, renditions: Renditions) -> list[Cell]:
        """The cells that printing ``text`` (one-column characters) in ``renditions`` makes."""
        if renditions is not self._renditions:
            self._renditions, self._cells = renditions, self._table(renditions)
        get, add = self._cells.get, self._cells.setdefault
        return [get(c) or add(c, _new_cell(Cell, (c, renditions, False, False))) for c in text]

    def _table(self, renditions: Renditions) -> dict[str, Cell]:
        table = self._by_renditions.get(renditions)
        if table is None:
            if len(self._by_renditions) >= _MAX_RENDITIONS:
                self._by_renditions.clear()
            table = self._by_renditions[renditions] = {}
        return table


CELLS = CellCache()  # shared by every screen in the process
