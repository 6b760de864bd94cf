"""moshz --server's idle timeouts, with a real mosh client that stops answering."""

from __future__ import annotations

import contextlib
import os
import signal

import pytest

from tests.server.e2e_support import (
    ask,
    server_pid,
    server_command,
    start_session,
)
from tests.tools.procs import process_gone, wait_gone
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e


def test_network_idle_timeout_ends_the_server(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    command = server_command(moshz_file, {"MOSH_SERVER_NETWORK_TMOUT": "2"})
    pane = start_session(tmux, ssh_server, command)
    server = server_pid(pane)
    client = pane.pid()
    os.kill(client, signal.SIGSTOP)
    try:
        wait_gone(server, timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the client may have ended meanwhile
            os.kill(client, signal.SIGCONT)


def test_sigusr1_spares_an_active_session_with_a_signal_timeout(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    command = server_command(moshz_file, {"MOSH_SERVER_SIGNAL_TMOUT": "3600"})
    pane = start_session(tmux, ssh_server, command)
    server = server_pid(pane)
    ssh_server.ssh(f"kill -USR1 {server}")
    assert ask(pane, "echo ALIVE=$((2+3))", "ALIVE") == "5"
    assert not process_gone(server)
    pane.line("exit")
    assert pane.wait_exit() == 0
