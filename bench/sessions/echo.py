"""Keystroke echo latency through the relay at a fixed round trip, per prediction mode."""

from __future__ import annotations

import statistics
import string
import time

from bench.registry import Figure, Options, benchmark
from bench.sessions.context import Context, Metric, Results, session_context, side_by_side
from bench.sessions.impls import Implementation
from bench.sessions.launch import Session, open_session
from bench.sessions.relaylink import relayed
from bench.sessions.shell import PROMPT, at_prompt, poll, shell_command

WORKLOAD = "session-echo"
MODES = ("always", "adaptive", "never")
KEYS = string.ascii_lowercase
LINE_ROOM = 80 - len(PROMPT) - 1  # keys typed on one line: no wrap, no line reset (epochs)
KEY_TIMEOUT_S = 5.0


def metric(mode: str, rtt_ms: int) -> Metric:
    """The figure for one prediction mode."""
    return Metric(f"keystroke to screen at {rtt_ms} ms RTT, prediction {mode} (median)", "ms")


class Typist:
    """Types letters at the prompt of one session and times each until the screen shows it."""

    def __init__(self, session: Session, poll_s: float, settle_s: float) -> None:
        self.pane = session.pane
        self.poll_s = poll_s
        self.settle_s = settle_s
        self.typed = ""

    def key(self) -> float:
        """Type the next letter; seconds until it shows; then wait for the echo to settle."""
        if len(self.typed) >= LINE_ROOM:
            raise ValueError("more keys than fit on the prompt line")
        self.typed += KEYS[len(self.typed) % len(KEYS)]
        start = time.perf_counter()
        self.pane.send_text(self.typed[-1])
        check = at_prompt(self.typed)
        shown = poll(self.pane, check, KEY_TIMEOUT_S, f"{self.typed!r} typed", self.poll_s)
        time.sleep(self.settle_s)
        return shown - start


def median_echo_ms(context: Context, impl: Implementation, mode: str) -> float:
    """Median echo time over the configured keys, after a few unmeasured warm-up keys."""
    config = context.config
    session = open_session(
        context.tmux,
        impl,
        shell_command(context.workdir),
        config.timeout_s,
        {"MOSH_PREDICTION_DISPLAY": mode},
        relayed(config.echo_rtt_ms),
    )
    try:
        poll(session.pane, at_prompt(), config.timeout_s, "the first prompt")
        typist = Typist(session, config.echo_poll_s, 1.5 * config.echo_rtt_ms / 1000)
        for _ in range(config.echo_warmup):
            typist.key()
        samples = [typist.key() for _ in range(config.echo_samples)]
        return 1000 * statistics.median(samples)
    finally:
        session.close()


def measure(context: Context, impl: Implementation, results: Results) -> None:
    """One session per prediction mode (the client reads the mode at start)."""
    for mode in MODES:
        label = metric(mode, context.config.echo_rtt_ms).label
        results[label] = median_echo_ms(context, impl, mode)


@benchmark(WORKLOAD)
def echo(options: Options) -> list[Figure]:
    """Echo latency with prediction always/adaptive/never, mosh and moshz side by side."""
    with session_context(options) as context:
        metrics = [metric(mode, context.config.echo_rtt_ms) for mode in MODES]
        return side_by_side(WORKLOAD, metrics, context, measure)
