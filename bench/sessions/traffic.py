"""Wire cost of a scripted session (typing, a burst, idle) and idle CPU of server and client."""

from __future__ import annotations

import sys
import time
from functools import partial
from typing import NamedTuple

from bench.registry import Figure, Options, benchmark
from bench.sessions.config import Config
from bench.sessions.context import Context, Metric, Results, figures, guarded, measure_safely
from bench.sessions.context import session_context
from bench.sessions.impls import Implementation
from bench.sessions.launch import Session, open_session
from bench.sessions.procfs import cpu_seconds
from bench.sessions.relaylink import relayed, session_traffic
from bench.sessions.shell import PROMPT, at_prompt, poll, run_timed, shell_command

WORKLOAD = "session-traffic"
WORDS = "typed-by-bench"
SETTLE_S = 1.0


class Usage(NamedTuple):
    """CPU seconds of server and client, and datagrams on the wire, at one moment."""

    server_cpu: float
    client_cpu: float
    datagrams: int


def metrics(config: Config) -> list[Metric]:
    """Wire totals of the whole script, then the idle period's costs."""
    script = f"typing, seq {config.burst_count}, {config.idle_s:g} s idle"
    idle = f"idle {config.idle_s:g} s"
    return [
        Metric(f"scripted session ({script}): datagrams", "count"),
        Metric(f"scripted session ({script}): UDP payload", "kB"),
        Metric(f"{idle}: datagrams per second, both directions", "1/s"),
        Metric(f"{idle}: server CPU", "s"),
        Metric(f"{idle}: client CPU", "s"),
    ]


def type_and_burst(context: Context, session: Session) -> None:
    """Type a command key by key, run it, then run a burst of output."""
    config = context.config
    poll(session.pane, at_prompt(), config.timeout_s, "the first prompt")
    line = f"echo {WORDS}"
    for key in line:
        session.pane.send_text(key)
        time.sleep(config.typing_gap_s)
    poll(session.pane, at_prompt(line), config.timeout_s, "the typed command")
    session.pane.send_keys("Enter")
    done = [WORDS, PROMPT.rstrip()]
    poll(session.pane, lambda rows: rows[-2:] == done, config.timeout_s, "the echoed words")
    run_timed(session.pane, "burst", ["seq", str(config.burst_count)], config.timeout_s)


def start_scripted(context: Context, impl: Implementation) -> Session:
    """A session through a counting relay that has done the active part of the script."""
    session = open_session(
        context.tmux,
        impl,
        shell_command(context.workdir),
        context.config.timeout_s,
        link=relayed(),
    )
    try:
        type_and_burst(context, session)
    except BaseException:
        session.close()
        raise
    return session


def usage(session: Session) -> Usage:
    """CPU used so far by both sides, and datagrams counted so far."""
    return Usage(
        cpu_seconds(session.server_pid()),
        cpu_seconds(session.client_pid()),
        session_traffic(session).datagrams,
    )


def idle_costs(config: Config, session: Session, start: Usage) -> Results:
    """The figures of one session at the end of the idle period that began at `start`."""
    labels = [m.label for m in metrics(config)]
    end, total = usage(session), session_traffic(session)
    return {
        labels[0]: total.datagrams,
        labels[1]: total.bytes / 1000,
        labels[2]: (end.datagrams - start.datagrams) / config.idle_s,
        labels[3]: end.server_cpu - start.server_cpu,
        labels[4]: end.client_cpu - start.client_cpu,
    }


def idle_together(context: Context, sessions: dict[str, Session]) -> dict[str, Results]:
    """Let every session idle for the same period, side by side, and take its costs."""
    time.sleep(SETTLE_S)
    started = {name: guarded(name, partial(usage, s)) for name, s in sessions.items()}
    time.sleep(context.config.idle_s)
    results: dict[str, Results] = {}
    for name, session in sessions.items():
        start = started[name]
        if start is not None:
            ended = guarded(name, partial(idle_costs, context.config, session, start))
            results[name] = ended or {}
    return results


@benchmark(WORKLOAD)
def traffic(options: Options) -> list[Figure]:
    """Each implementation types and bursts in turn, then all idle together."""
    with session_context(options) as context:
        sessions: dict[str, Session] = {}

        def begin(context: Context, impl: Implementation, results: Results) -> None:
            sessions[impl.name] = start_scripted(context, impl)

        try:
            for impl in context.impls:
                print(f"{WORKLOAD}: {impl.name}", file=sys.stderr)
                measure_safely(begin, context, impl)
            by_impl = idle_together(context, sessions)
        finally:
            for name, session in sessions.items():
                guarded(name, session.close)
        return figures(WORKLOAD, metrics(context.config), by_impl)
