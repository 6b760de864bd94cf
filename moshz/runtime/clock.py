"""The one clock of moshz: integer milliseconds of a monotonic clock (PROTOCOL.md 4.1)."""

from __future__ import annotations

import time


def monotonic_ms() -> int:
    """Milliseconds since an arbitrary fixed point; the `now` every sans-I/O core expects."""
    return time.monotonic_ns() // 1000000
