"""SGR (CSI ... m) applied with mosh's rules and colour storage (PROTOCOL.md 8.2).

A parameter list is compiled once into a small program (reset or not, then
fields to set), which is cached: programs repeat the same few lists, and
applying a compiled one is much cheaper than walking the parameters again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Tuple, Union

from moshz.term.frame import BG_BASE, DEFAULT_RENDITIONS, FG_BASE, TRUECOLOR, Renditions
from moshz.term.params import param, parse_params

_FG, _BG = 6, 7
_COLOUR_MASK = 0x1FFFFFF  # mosh keeps 25 bits per colour
_ATTRIBUTES = {
    1: (0, True), 22: (0, False),
    3: (1, True), 23: (1, False),
    4: (2, True), 24: (2, False),
    5: (3, True), 25: (3, False),
    7: (4, True), 27: (4, False),
    8: (5, True), 28: (5, False),
}  # fmt: skip

Value = Union[bool, int]
Changes = Dict[int, Value]  # Renditions field index -> new value
Program = Tuple[bool, Tuple[Tuple[int, Value], ...]]  # (reset first, then these fields)


def apply_sgr(renditions: Renditions, text: str) -> Renditions:
    """The renditions after one SGR sequence with parameter text ``text`` (digits and ``;``)."""
    reset, changes = _program(text)
    base = DEFAULT_RENDITIONS if reset else renditions
    if not changes:
        return base
    values = list(base)
    for index, value in changes:
        values[index] = value
    return _new_renditions(Renditions, values)


_new_renditions = tuple.__new__  # Renditions from a full list of fields, unchecked (hot path)


@lru_cache(maxsize=4096)
def _program(text: str) -> Program:
    """What one parameter text does: whether it resets (the last SGR 0 wins) and the fields set after."""
    params = parse_params(text)
    reset = False
    changes: Changes = {}
    count = len(params)
    i = 0
    while i < count:
        code = param(params, i, 0)
        if code in (38, 48) and count - i >= 3 and param(params, i + 1, -1) == 5:
            _set_indexed(changes, code == 48, param(params, i + 2, 0))
            i += 3
        elif code in (38, 48) and count - i >= 5 and param(params, i + 1, -1) == 2:
            red, green, blue = (param(params, i + k, 0) for k in (2, 3, 4))
            colour = (TRUECOLOR | (red << 16) | (green << 8) | blue) & _COLOUR_MASK
            changes[_BG if code == 48 else _FG] = colour
            i += 5
        elif code == 0:
            reset = True
            changes.clear()
            i += 1
        else:
            _set_rendition(changes, code)
            i += 1
    return reset, tuple(changes.items())


def _set_indexed(changes: Changes, background: bool, index: int) -> None:
    if 0 <= index <= 255:
        changes[_BG if background else _FG] = (BG_BASE if background else FG_BASE) + index


def _set_rendition(changes: Changes, code: int) -> None:
    if code == 39:
        changes[_FG] = 0
    elif code == 49:
        changes[_BG] = 0
    elif 30 <= code <= 37 or 40 <= code <= 47:
        changes[_FG if code < 40 else _BG] = code
    elif 90 <= code <= 97:
        changes[_FG] = FG_BASE + 8 + code - 90
    elif 100 <= code <= 107:
        changes[_BG] = BG_BASE + 8 + code - 100
    elif code in _ATTRIBUTES:
        index, on = _ATTRIBUTES[code]
        changes[index] = on
