"""A laptop lid: the client, or the server process, stopped with SIGSTOP, then continued.

The default pause is 10 s; MOSHZ_FAULT_STOP_SECONDS=60 gives the issue's minute. While the
server is stopped the client must show its notification bar; afterwards the session must
carry on (a command runs, its output shows, the bar goes away).
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.faults.fixtures import SessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STOP_SECONDS = float(os.environ.get("MOSHZ_FAULT_STOP_SECONDS", "10"))


@pytest.mark.parametrize(
    ("stopped", "client"),
    [("client", "mosh-client"), ("client", "moshz"), ("server", "mosh-client")],
)
def test_session_carries_on_after_a_stop(
    stopped: str,
    client: str,
    relayed_sessions: SessionFactory,
) -> None:
    server, relay, pane = relayed_sessions(client)
    pane.line("echo before-$((6*7))")
    pane.wait_for_row("before-42")
    pid = pane.pid() if stopped == "client" else server.pid
    start = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    try:
        if stopped == "server":
            pane.wait_for(lambda s: s.startswith("mosh: Last contact"), "the bar", STOP_SECONDS)
        time.sleep(max(0.0, start + STOP_SECONDS - time.monotonic()))  # the pause itself
    finally:
        os.kill(pid, signal.SIGCONT)
    pane.line("clear; echo after-$((6*7))")
    pane.wait_for_row("after-42", timeout=15)
    pane.wait_for(lambda s: not s.startswith("mosh:"), "the notification bar to go", 10)
