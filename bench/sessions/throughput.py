"""Output throughput: wall time in the remote shell and until the client's screen shows the end."""

from __future__ import annotations

from typing import Sequence

from bench.registry import Figure, Options, benchmark
from bench.sessions.config import Config
from bench.sessions.context import Context, Metric, Results, session_context, side_by_side
from bench.sessions.impls import Implementation
from bench.sessions.launch import open_session
from bench.sessions.payloads import write_payloads
from bench.sessions.procfs import peak_rss_mib
from bench.sessions.shell import at_prompt, poll, run_timed, shell_command, shell_seconds

WORKLOAD = "session-throughput"


def jobs(config: Config) -> list[tuple[str, str, Sequence[str]]]:
    """(name, description, argv) of each output job, in the order they run."""
    return [
        ("seq", f"seq {config.seq_count}", ["seq", str(config.seq_count)]),
        ("base64", f"base64 of {config.base64_bytes / 1e6:g} MB", ["base64", "random.bin"]),
        ("escape", f"{config.escape_bytes / 1e6:g} MB escape-heavy", ["cat", "escape.bin"]),
    ]


def metrics(config: Config) -> list[Metric]:
    """Shell time and screen time per job, then peak RSS of both sides."""
    found: list[Metric] = []
    for _, what, _ in jobs(config):
        found.append(Metric(f"{what}: wall time in shell", "s"))
        found.append(Metric(f"{what}: until screen shows prompt", "s"))
    found.append(Metric("peak RSS of server after throughput", "MiB"))
    found.append(Metric("peak RSS of client after throughput", "MiB"))
    return found


def measure(context: Context, impl: Implementation, results: Results) -> None:
    """Run every job in one session, then read both sides' peak RSS."""
    config = context.config
    labels = [m.label for m in metrics(config)]
    session = open_session(context.tmux, impl, shell_command(context.workdir), config.timeout_s)
    try:
        poll(session.pane, at_prompt(), config.timeout_s, "the first prompt")
        for index, (name, _, argv) in enumerate(jobs(config)):
            screen = run_timed(session.pane, name, argv, config.timeout_s)
            results[labels[2 * index]] = shell_seconds(context.workdir, name)
            results[labels[2 * index + 1]] = screen
        results[labels[-2]] = peak_rss_mib(session.server_pid())
        results[labels[-1]] = peak_rss_mib(session.client_pid())
    finally:
        session.close()


@benchmark(WORKLOAD)
def throughput(options: Options) -> list[Figure]:
    """seq, base64 of random data and escape-heavy output, for mosh and moshz side by side."""
    with session_context(options) as context:
        config = context.config
        write_payloads(context.workdir, config.base64_bytes, config.escape_bytes)
        return side_by_side(WORKLOAD, metrics(config), context, measure)
