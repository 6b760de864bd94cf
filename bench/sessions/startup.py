"""Start-up: launch to prompt cold and warm, file size, and `--version` time cold and warm."""

from __future__ import annotations

import os
import statistics
import subprocess
import time

from bench.registry import Figure, Options, benchmark
from bench.sessions.context import Context, Metric, Results, session_context, side_by_side
from bench.sessions.impls import Implementation, with_shiv_root
from bench.sessions.launch import SessionError, open_session, server_environment
from bench.sessions.shell import at_prompt, poll, shell_command

WORKLOAD = "session-startup"
LAUNCH_COLD = Metric("launch to prompt, cold (first run, empty SHIV_ROOT)", "s")
LAUNCH_WARM = Metric("launch to prompt, warm (median)", "s")
SIZE = Metric("file size (mosh: its two binaries, shared libraries not counted)", "MB")
VERSION_COLD = Metric("--version, cold (empty SHIV_ROOT)", "s")
VERSION_WARM = Metric("--version, warm (median)", "s")
METRICS = [LAUNCH_COLD, LAUNCH_WARM, SIZE, VERSION_COLD, VERSION_WARM]


def launch_to_prompt(context: Context, impl: Implementation) -> float:
    """Seconds from starting the server until the client's screen shows the shell's prompt."""
    timeout = context.config.timeout_s
    start = time.perf_counter()
    session = open_session(context.tmux, impl, shell_command(context.workdir), timeout)
    try:
        return poll(session.pane, at_prompt(), timeout, "the first prompt") - start
    finally:
        session.close()


def version_seconds(context: Context, impl: Implementation) -> float:
    """Seconds one version query takes, output discarded."""
    start = time.perf_counter()
    result = subprocess.run(
        impl.version,
        env=server_environment(impl),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=context.config.timeout_s,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SessionError(f"{' '.join(impl.version)} exited with {result.returncode}")
    return elapsed


def measure(context: Context, impl: Implementation, results: Results) -> None:
    """Size and version times first (they need only the file), then session launches."""
    runs = context.config.version_warm_runs
    results[SIZE.label] = sum(os.path.getsize(path) for path in impl.files) / 1e6
    queried = with_shiv_root(impl, str(context.workdir / "shiv-version"))
    results[VERSION_COLD.label] = version_seconds(context, queried)
    results[VERSION_WARM.label] = statistics.median(
        version_seconds(context, queried) for _ in range(runs)
    )
    results[LAUNCH_COLD.label] = launch_to_prompt(context, impl)
    results[LAUNCH_WARM.label] = statistics.median(
        launch_to_prompt(context, impl) for _ in range(context.config.startup_warm_runs)
    )


@benchmark(WORKLOAD)
def startup(options: Options) -> list[Figure]:
    """Start-up costs of mosh and moshz side by side (moshz: first unpack included when cold)."""
    with session_context(options) as context:
        return side_by_side(WORKLOAD, METRICS, context, measure)
