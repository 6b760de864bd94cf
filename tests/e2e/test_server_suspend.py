"""A moshz --server session survives its mosh client being stopped for 20 seconds."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.server.e2e_support import server_command, start_session
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e

SUSPEND_SECONDS = 20


def test_session_survives_a_suspended_client(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    pane = start_session(tmux, ssh_server, server_command(moshz_file))
    client = pane.pid()  # the wrapper execs mosh-client in place
    pane.line("echo before-stop")
    pane.wait_for_row("before-stop")
    os.kill(client, signal.SIGSTOP)
    try:
        time.sleep(SUSPEND_SECONDS)  # the scenario itself, not a timing assertion
    finally:
        os.kill(client, signal.SIGCONT)
    pane.line("clear; echo after-$((6*7))")
    pane.wait_for_row("after-42", timeout=30)
    pane.line("exit")
    assert pane.wait_exit(timeout=30) == 0
