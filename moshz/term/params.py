"""CSI parameters read the way mosh's dispatcher reads them (PROTOCOL.md 8.3)."""

from __future__ import annotations

from typing import Tuple

PARAM_MAX = 65535
MAX_PARAM_CHARS = 100
DEFAULT = -1

Params = Tuple[int, ...]


def parse_params(text: str) -> Params:
    """Split collected digits and ``;`` into numbers; empty or > 65535 reads as DEFAULT."""
    values = []
    for piece in text.split(";"):
        value = int(piece) if piece else DEFAULT
        values.append(DEFAULT if value > PARAM_MAX else value)
    return tuple(values)


def param(params: Params, index: int, default: int) -> int:
    """Parameter ``index``, or ``default`` when it is missing, defaulted or below 1."""
    value = params[index] if index < len(params) else DEFAULT
    return default if value < 1 else value
