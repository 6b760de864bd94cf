"""Smoke test: every side-by-side session workload runs end to end in its tiny configuration."""

from __future__ import annotations

import shutil

import pytest

from bench.registry import REGISTRY, Options
from bench.sessions import echo, startup, throughput, traffic
from bench.sessions.payloads import escape_heavy

WORKLOADS = (throughput.WORKLOAD, echo.WORKLOAD, traffic.WORKLOAD, startup.WORKLOAD)
NEEDED = ("mosh-server", "mosh-client", "tmux", "bash")


def test_escape_heavy_output_is_deterministic_and_ends_on_a_clean_screen():
    first = escape_heavy(10_000)
    assert first == escape_heavy(10_000)
    assert len(first) >= 10_000
    assert first.endswith(b"\x1b[r\x1b[0m\x1b[H\x1b[2J")


@pytest.mark.slow
@pytest.mark.parametrize("name", WORKLOADS)
def test_workload_measures_real_mosh_in_the_tiny_configuration(name):
    missing = [program for program in NEEDED if shutil.which(program) is None]
    if missing:
        pytest.skip("not installed: " + ", ".join(missing))
    figures = REGISTRY[name](Options(seconds=0.1, quick=True))
    assert figures
    assert all(figure.workload == name for figure in figures)
    unmeasured = [figure.metric for figure in figures if figure.mosh is None]
    assert not unmeasured, f"real mosh gave no figure for {unmeasured}"
