"""SGR (CSI ... m) applied with mosh's rules and colour storage (PROTOCOL.md 8.2).

A parameter list is compiled once into a small program (reset or not, then
fields to set), which is cached: programs repeat the same few lists, and
applying a compiled one is much cheaper than walking the parameters again.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Optional, Tuple, Union

from moshz.term.frame import BG_BASE, DEFAULT_RENDITIONS, FG_BASE, TRUECOLOR, Renditions
from moshz.term.params import MAX_PARAM_CHARS, PARAM_MAX

_FG, _BG = 6, 7
_COLOUR_MASK = 0x1FFFFFF  # mosh keeps 25 bits per colour

Value = Union[bool, int]
_SIMPLE: dict[int, tuple[int, Value]] = {
    1: (0, True), 22: (0, False),
    3: (1, True), 23: (1, False),
    4: (2, True), 24: (2, False),
    5: (3, True), 25: (3, False),
    7: (4, True), 27: (4, False),
    8: (5, True), 28: (5, False),
    39: (_FG, 0), 49: (_BG, 0),
    **{code: (_FG, code) for code in range(30, 38)},
    **{code: (_BG, code) for code in range(40, 48)},
    **{code: (_FG, FG_BASE + 8 + code - 90) for code in range(90, 98)},
    **{code: (_BG, BG_BASE + 8 + code - 100) for code in range(100, 108)},
}  # fmt: skip
# code -> (Renditions field index, value) for the codes that set one field

Changes = Dict[int, Value]  # Renditions field index -> new value
Program = Tuple[Optional[Renditions], Tuple[Tuple[int, Value], ...]]
# (the result when it does not depend on the renditions before, else the fields to set)


def apply_sgr(renditions: Renditions, text: str) -> Renditions:
    """The renditions after one SGR sequence with parameter text ``text`` (its first 100 characters count)."""
    result, changes = _program(text)
    if result is not None:
        return result
    if not changes:
        return renditions
    values = list(renditions)
    for index, value in changes:
        values[index] = value
    return _new_renditions(Renditions, values)


_new_renditions = tuple.__new__  # Renditions from a full list of fields, unchecked (hot path)


@lru_cache(maxsize=4096)
def _program(text: str) -> Program:
    """What one parameter text does: a fixed result if it resets (the last SGR 0 wins), else the fields it sets."""
    codes = _codes(text[:MAX_PARAM_CHARS])
    reset = False
    changes: Changes = {}
    count, i = len(codes), 0
    while i < count:
        code = codes[i]
        simple = _SIMPLE.get(code)
        if simple is not None:
            changes[simple[0]] = simple[1]
        elif code == 0:
            reset = True
            changes.clear()
        elif code == 38 or code == 48:
            i = _extended_colour(changes, codes, i)
            continue
        i += 1
    if reset:
        values = list(DEFAULT_RENDITIONS)
        for index, value in changes.items():
            values[index] = value
        return Renditions(*values), ()
    return None, tuple(changes.items())


def _codes(text: str) -> list[int]:
    """The parameters as SGR reads them: empty, defaulted and out-of-range ones are all 0."""
    try:
        values = list(map(int, text.split(";")))
    except ValueError:  # empty pieces
        values = [int(piece or "0") for piece in text.split(";")]
    if max(values) > PARAM_MAX:
        return [value if value <= PARAM_MAX else 0 for value in values]
    return values


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
