"""Side-by-side session benchmarks: real mosh and moshz on the same workloads, in one run.

Importing the package registers its workloads (``python3 -m bench`` imports it).
"""

from __future__ import annotations

from bench.sessions import echo, startup, throughput, traffic

__all__ = ["echo", "startup", "throughput", "traffic"]
