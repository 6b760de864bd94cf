"""Golden tests: real programs' output gives the screen real mosh showed for it.

``captured/NAME.bin`` is what a program wrote to an 80x24 terminal; ``NAME.mosh.json`` is
what a real mosh-server + mosh-client showed for it in a tmux pane (see captured/record.py).
The recording starts with mosh-server's echoed release newline, hence the leading CR LF.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from moshz.term.emulator import Emulator
from moshz.term.frame import Frame, Row

CAPTURED = os.path.join(os.path.dirname(__file__), "captured")
NAMES = sorted(name[:-4] for name in os.listdir(CAPTURED) if name.endswith(".bin"))


def _load(name: str) -> tuple[bytes, dict[str, Any]]:
    with open(os.path.join(CAPTURED, name + ".bin"), "rb") as handle:
        stream = handle.read()
    with open(os.path.join(CAPTURED, name + ".mosh.json"), encoding="utf-8") as handle:
        return stream, json.load(handle)


def _shown(row: Row) -> str:
    """The row as mosh-client draws it (a fallback cell is a no-break space first)."""
    out, skip = [], False
    for cell in row.cells:
        if not skip:
            out.append("\u00a0" + cell.contents if cell.fallback else cell.contents or " ")
        skip = cell.wide and not skip
    return "".join(out).rstrip()


def replay(stream: bytes, width: int, height: int) -> Frame:
    """Our frame for ``stream`` after mosh-server's echoed release newline."""
    emulator = Emulator(width, height)
    emulator.feed(b"\r\n" + stream)
    return emulator.frame()


def assert_same_screen(frame: Frame, mosh: dict[str, Any]) -> None:
    """Our frame shows what real mosh's pane showed: text, cursor, looks of non-blank cells."""
    assert [_shown(row) for row in frame.rows] == mosh["lines"]
    cursor = [frame.cursor_row, frame.cursor_col, int(frame.cursor_visible)]
    corner = (frame.height - 1, frame.width - 1)
    if (cursor[0], cursor[1]) == corner and mosh["cursor"][1] == frame.width - 2:
        # After drawing the bottom row's last cell mosh-client believes the cursor went past
        # the edge and comes back with one BS, which really lands one column further left.
        cursor[1] -= 1
    assert cursor == mosh["cursor"]
    pane = Emulator(mosh["width"], mosh["height"])
    pane.feed(mosh["styled"].rstrip("\n").replace("\n", "\x1b[0m\r\n").encode())
    shown = pane.frame()
    for y, row in enumerate(frame.rows):
        for x, cell in enumerate(row.cells):
            if cell.contents:
                assert cell.renditions == shown.cell(y, x).renditions, (y, x, cell)


@pytest.mark.parametrize("name", NAMES)
def test_screens_match_real_mosh(name: str) -> None:
    stream, mosh = _load(name)
    assert_same_screen(replay(stream, mosh["width"], mosh["height"]), mosh)
