"""How big each session workload is: the default run and a tiny one for the smoke test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    """Sizes, sample counts and time limits of the session workloads."""

    seq_count: int = 1_000_000
    base64_bytes: int = 3_000_000
    escape_bytes: int = 5_000_000
    echo_rtt_ms: int = 200
    echo_warmup: int = 5
    echo_samples: int = 15
    echo_poll_s: float = 0.002
    typing_gap_s: float = 0.05
    burst_count: int = 20_000
    idle_s: float = 30.0
    startup_warm_runs: int = 3
    version_warm_runs: int = 5
    timeout_s: float = 120.0


DEFAULT = Config()
TINY = Config(
    seq_count=2_000,
    base64_bytes=20_000,
    escape_bytes=20_000,
    echo_warmup=2,
    echo_samples=2,
    burst_count=200,
    idle_s=1.0,
    startup_warm_runs=1,
    version_warm_runs=1,
    timeout_s=30.0,
)
