"""The benchmark registry: workloads are named functions returning figures.

Add a workload by dropping a module into ``bench/`` with a function decorated by
``@benchmark("name")``; ``python3 -m bench`` imports every module of the package, runs every
registered workload (or those named with ``--only``) and prints one table. A figure may carry
the same measurement for real mosh (``mosh``); the table then shows the moshz/mosh ratio.
"""

from __future__ import annotations

import time
from typing import Callable, List, NamedTuple


class Figure(NamedTuple):
    """One measured number, optionally beside real mosh's number for the same thing."""

    workload: str
    metric: str
    value: float | None  # None: moshz could not run this workload (shown as n/a)
    unit: str
    mosh: float | None = None
    higher_is_better: bool = True

    @property
    def ratio(self) -> float | None:
        """moshz / mosh, or None without a mosh figure."""
        if self.value is None or self.mosh is None or self.mosh == 0:
            return None
        return self.value / self.mosh


class Options(NamedTuple):
    """What every workload is told: seconds to spend per measurement; quick = a smoke run."""

    seconds: float
    quick: bool = False


Workload = Callable[[Options], List[Figure]]
REGISTRY: dict[str, Workload] = {}


def benchmark(name: str) -> Callable[[Workload], Workload]:
    """Register a workload under a unique name."""

    def register(function: Workload) -> Workload:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = function
        return function

    return register


def rate(operation: Callable[[int], object], seconds: float, rounds: int = 3) -> float:
    """Calls per second of operation(i), best of a few rounds of about `seconds` each."""
    best = 0.0
    per_round = max(seconds / rounds, 0.01)
    for _ in range(rounds):
        calls = 0
        start = time.perf_counter()
        elapsed = 0.0
        while elapsed < per_round:
            for i in range(calls, calls + 16):
                operation(i)
            calls += 16
            elapsed = time.perf_counter() - start
        best = max(best, calls / elapsed)
    return best
