"""The grid's noted writes (applied when the cells are read) against plain lists of cells."""

from __future__ import annotations

from typing import Any, Callable, List

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.term.frame import Cell, Renditions
from moshz.term.grid import Grid, blank_cell

WIDTH, HEIGHT = 7, 3
Model = List[List[Any]]  # per row: [cells, wrap]

_COLUMN = st.integers(0, WIDTH - 1)
_ROW = st.integers(0, HEIGHT - 1)
_LOOKS = st.sampled_from([Renditions(), Renditions(bold=True), Renditions(bg=41)])
_BG = st.sampled_from([0, 42])


@st.composite
def _write(draw: st.DrawFn) -> tuple[str, tuple[Any, ...]]:
    x = draw(_COLUMN)
    text = draw(st.text("ab\u00e9\u2500", min_size=1, max_size=WIDTH - x))
    return "write", (draw(_ROW), x, text, draw(_LOOKS))


@st.composite
def _erase(draw: st.DrawFn) -> tuple[str, tuple[Any, ...]]:
    start = draw(st.integers(0, WIDTH))
    end = draw(st.one_of(st.just(WIDTH), st.integers(start, WIDTH)))
    return "erase", (draw(_ROW), start, end, draw(_BG))


_CELL = st.builds(Cell, st.sampled_from("xy"), _LOOKS)
_OP = st.one_of(
    _write(),
    _write(),
    _erase(),
    st.tuples(st.just("put"), st.tuples(_ROW, _COLUMN, _CELL)),
    st.tuples(st.just("amend"), st.tuples(_ROW, _COLUMN, _CELL)),
    st.tuples(st.just("insert_cells"), st.tuples(_ROW, _COLUMN, st.integers(1, 3), _BG)),
    st.tuples(st.just("delete_cells"), st.tuples(_ROW, _COLUMN, st.integers(1, 3), _BG)),
    st.tuples(st.just("delete_lines"), st.tuples(_ROW, st.integers(1, 2), st.just(0), _ROW, _BG)),
    st.tuples(st.just("set_wrap"), st.tuples(_ROW, st.just(True))),
    st.tuples(st.just("set_wrap"), st.tuples(_ROW, st.booleans())),
    st.tuples(st.just("rows"), st.just(())),
)


def _write_model(model: Model, y: int, x: int, text: str, looks: Renditions) -> None:
    model[y][0][x : x + len(text)] = [Cell(c, looks) for c in text]
    if x + len(text) == WIDTH:
        model[y][1] = False


def _erase_model(model: Model, y: int, start: int, end: int, bg: int) -> None:
    if start < end:
        model[y][0][start:end] = [blank_cell(bg)] * (end - start)
        model[y][1] = model[y][1] and end < WIDTH


def _put_model(model: Model, y: int, x: int, cell: Cell) -> None:
    model[y][0][x] = cell
    model[y][1] = model[y][1] and x < WIDTH - 1


def _amend_model(model: Model, y: int, x: int, cell: Cell) -> None:
    model[y][0][x] = cell


def _shift_model(model: Model, y: int, x: int, count: int, bg: int, insert: bool) -> None:
    cells = model[y][0]
    count = min(count, WIDTH - x)
    if insert:
        cells[x:x] = [blank_cell(bg)] * count
        del cells[WIDTH:]
    else:
        del cells[x : x + count]
        cells.extend([blank_cell(bg)] * count)
    model[y][1] = False


def _delete_lines_model(model: Model, at: int, count: int, top: int, bottom: int, bg: int) -> None:
    if top <= at <= bottom:
        count = min(count, bottom + 1 - at)
        del model[at : at + count]
        model[bottom + 1 - count : bottom + 1 - count] = [
            [[blank_cell(bg)] * WIDTH, False] for _ in range(count)
        ]


_MODEL: dict[str, Callable[..., None]] = {
    "write": _write_model,
    "erase": _erase_model,
    "put": _put_model,
    "amend": _amend_model,
    "insert_cells": lambda m, *a: _shift_model(m, *a, insert=True),
    "delete_cells": lambda m, *a: _shift_model(m, *a, insert=False),
    "delete_lines": _delete_lines_model,
    "set_wrap": lambda m, y, wrap: m[y].__setitem__(1, wrap),
    "rows": lambda m: None,
}


@settings(max_examples=400, deadline=None, derandomize=True)
@given(ops=st.lists(_OP, max_size=40))
def test_noted_writes_give_what_writing_at_once_gives(ops: list[tuple[str, Any]]) -> None:
    grid = Grid.blank(WIDTH, HEIGHT)
    model: Model = [[[blank_cell(0)] * WIDTH, False] for _ in range(HEIGHT)]
    for name, args in ops:
        getattr(grid, name)(*args)
        _MODEL[name](model, *args)
    assert [(list(row.cells), row.wrap) for row in grid.rows()] == [tuple(r) for r in model]


def test_many_writes_to_one_row_stay_bounded() -> None:
    grid = Grid.blank(WIDTH, 1)
    for n in range(10000):
        grid.write(0, n % WIDTH, "a", Renditions())
    assert len(grid.lines[0]._writes) <= 256
    assert grid.rows()[0].text() == "a" * WIDTH
