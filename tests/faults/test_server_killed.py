"""The server killed outright: the client says so in its notification bar, and Ctrl-^ . quits.

Both clients must behave as real mosh-client does: the bar's "Last contact" line, then on
Ctrl-^ . an exit with status 1 and mosh's "did not shut down cleanly" notice.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.faults.fixtures import SessionFactory
from tests.faults.local import CLIENTS, shell_pid
from tests.tools.procs import wait_gone

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("client", CLIENTS)
def test_client_reports_a_dead_server_and_quits_on_ctrl_caret_dot(
    client: str,
    relayed_sessions: SessionFactory,
) -> None:
    server, relay, pane = relayed_sessions(client)
    shell = shell_pid(server)
    pane.line("echo alive-$((6*7))")
    pane.wait_for_row("alive-42")
    os.kill(server.pid, signal.SIGKILL)
    wait_gone(shell)  # the pty closed under it
    pane.wait_for(lambda s: s.startswith("mosh: Last contact"), "the bar", timeout=20)
    pane.send_bytes(b"\x1e.")
    status = pane.wait_exit(timeout=20)
    screen = pane.capture()
    assert "[mosh is exiting.]" in screen, pane.dump()
    assert "mosh did not shut down cleanly" in screen, pane.dump()
    assert status == 1  # as real mosh-client: nobody acknowledged the shutdown
