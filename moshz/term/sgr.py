"""SGR (CSI ... m) applied with mosh's rules and colour storage (PROTOCOL.md 8.2)."""

from __future__ import annotations

from moshz.term.frame import BG_BASE, DEFAULT_RENDITIONS, FG_BASE, TRUECOLOR, Renditions
from moshz.term.params import param

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


def apply_sgr(renditions: Renditions, params: list[int]) -> Renditions:
    """The renditions after one SGR sequence, parameters taken left to right."""
    values: list[bool | int] = list(renditions)
    count = len(params)
    i = 0
    while i < count:
        code = param(params, i, 0)
        if code in (38, 48) and count - i >= 3 and param(params, i + 1, -1) == 5:
            _set_indexed(values, code == 48, param(params, i + 2, 0))
            i += 3
        elif code in (38, 48) and count - i >= 5 and param(params, i + 1, -1) == 2:
            red, green, blue = (param(params, i + k, 0) for k in (2, 3, 4))
            colour = (TRUECOLOR | (red << 16) | (green << 8) | blue) & _COLOUR_MASK
            values[_BG if code == 48 else _FG] = colour
            i += 5
        else:
            _set_rendition(values, code)
            i += 1
    return Renditions(*values)  # type: ignore[arg-type]


def _set_indexed(values: list[bool | int], background: bool, index: int) -> None:
    if 0 <= index <= 255:
        values[_BG if background else _FG] = (BG_BASE if background else FG_BASE) + index


def _set_rendition(values: list[bool | int], code: int) -> None:
    if code == 0:
        values[:] = DEFAULT_RENDITIONS
    elif code == 39:
        values[_FG] = 0
    elif code == 49:
        values[_BG] = 0
    elif 30 <= code <= 37 or 40 <= code <= 47:
        values[_FG if code < 40 else _BG] = code
    elif 90 <= code <= 97:
        values[_FG] = FG_BASE + 8 + code - 90
    elif 100 <= code <= 107:
        values[_BG] = BG_BASE + 8 + code - 100
    elif code in _ATTRIBUTES:
        index, on = _ATTRIBUTES[code]
        values[index] = on
