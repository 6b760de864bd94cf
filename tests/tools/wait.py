"""Polling with a deadline: how the e2e tools wait for things without timed assertions."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")

DEFAULT_INTERVAL = 0.05


def wait_until(
    probe: Callable[[], T],
    timeout: float,
    what: str,
    explain: Callable[[], str] | None = None,
    interval: float = DEFAULT_INTERVAL,
) -> T:
    """Call `probe` until it returns something truthy and return that, else fail with a report.

    The failure is an AssertionError naming `what` and, if given, the text `explain()`
    returns at the moment of giving up (for example the screen as it was).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() >= deadline:
            detail = "\n" + explain() if explain is not None else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{detail}")
        time.sleep(interval)
