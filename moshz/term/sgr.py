"""SGR (CSI ... m) applied with mosh's rules and colour storage (PROTOCOL.md 8.2).

A parameter list is compiled once into a small program (reset or not, then
fields to set), which is cached: programs repeat the same few lists, and
applying a compiled one is much cheaper than walking the parameters again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Tuple, Union

from moshz.term.frame import BG_BASE, DEFAULT_RENDITIONS, FG_BASE, TRUECOLOR, Renditions
from moshz.term.params import PARAM_MAX

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
    codes = _codes(text)
    reset = False
    changes: Changes = {}
    count, i = len(codes), 0
    while i < count:
        code = codes[i]
        if code == 38 or code == 48:
            i = _extended_colour(changes, codes, i)
            continue
        if code == 0:
            reset = True
            changes.clear()
        else:
            _set_rendition(changes, code)
        i += 1
    return reset, tuple(changes.items())


def _codes(text: str) -> list[int]:
    """The parameters as SGR reads them: empty, defaulted and out-of-range ones are all 0."""
    values = [int(piece or "0") for piece in text.split(";")]
    return [value if value <= PARAM_MAX else 0 for value in values]


def _extended_colour(changes: Changes, codes: list[int], i: int) -> int:
    """``38;5;N``, ``38;2;R;G;B`` (48 for the background) at ``i``; the index after them.

    Without enough parameters, or another second one, the 38 or 48 alone is ignored.
    """
    field, base = (_BG, BG_BASE) if codes[i] == 48 else (_FG, FG_BASE)
    kind = codes[i + 1] if i + 1 < len(codes) else 0
    if kind == 5 and i + 2 < len(codes):
        if codes[i + 2] <= 255:
            changes[field] = base + codes[i + 2]
        return i + 3
    if kind == 2 and i + 4 < len(codes):
        red, green, blue = codes[i + 2 : i + 5]
        changes[field] = (TRUECOLOR | (red << 16) | (green << 8) | blue) & _COLOUR_MASK
        return i + 5
    return i + 1


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
