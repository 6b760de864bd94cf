"""A server whose client is gone ends after MOSH_SERVER_NETWORK_TMOUT, leaving nothing behind.

The client is killed outright (no shutdown handshake). The server must not go before the
timeout, must go after it, and must take its shell and the shell's jobs (a background
sleep) with it.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.faults.fixtures import SessionFactory
from tests.tools.procs import descendants, process_gone, wait_gone

pytestmark = pytest.mark.e2e

TIMEOUT_SECONDS = 5


def test_server_exits_after_the_network_timeout_and_leaves_no_process(
    relayed_sessions: SessionFactory,
) -> None:
    server, _, pane = relayed_sessions(env={"MOSH_SERVER_NETWORK_TMOUT": str(TIMEOUT_SECONDS)})
    pane.line("sleep 600 & echo started-$((6*7))")
    pane.wait_for_row("started-42")
    left = descendants(server.pid)
    assert len(left) >= 2  # the shell and its sleep
    os.kill(pane.pid(), signal.SIGKILL)
    gone = time.monotonic()
    wait_gone(server.pid, timeout=TIMEOUT_SECONDS + 30)
    assert time.monotonic() - gone >= TIMEOUT_SECONDS - 1
    for pid in left:
        wait_gone(pid, timeout=10)
    assert all(process_gone(pid) for pid in left)
