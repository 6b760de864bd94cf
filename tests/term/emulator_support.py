"""Reference emulators for tests: the same semantics without any fast path."""

from __future__ import annotations

from moshz.term.emulator import Emulator
from moshz.term.frame import Frame, Row
from moshz.term.screen import Screen
from moshz.term.vtparser import MoshStream


class _OneByOneStream(MoshStream):
    """Every code point through the state machine: no token runs."""

    def run(self, text: str, start: int) -> int:
        return start


class _CharByCharScreen(Screen):
    """Every printed character through the general path."""

    def draw(self, text: str) -> None:
        for char in text:
            self._print_char(char)


def slow_emulator(width: int, height: int) -> Emulator:
    """An emulator that takes every code point on its own (the reference for fast paths)."""
    emulator = Emulator(width, height)
    emulator._screen = _CharByCharScreen(width, height)
    emulator._stream = _OneByOneStream(emulator._screen)
    return emulator


def canonical(frame: Frame) -> Frame:
    """The frame with row generations renumbered by first appearance (gens are global)."""
    numbers: dict[int, int] = {}
    rows = tuple(Row(r.cells, r.wrap, numbers.setdefault(r.gen, len(numbers))) for r in frame.rows)
    return frame.with_changes(rows=rows)
