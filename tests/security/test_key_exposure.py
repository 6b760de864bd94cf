"""The session key never shows in a command line, in the shell's environment, or in the log.

Checked while a session runs: every process's /proc/PID/cmdline (servers, clients, ssh,
shells), the environment of the shell the server started and of everything below it, and
the server's -v log and the -vv log of `moshz user@host`. Bare clients get the key through
MOSH_KEY; `moshz user@host` learns it from the server over ssh (a wrapper around the remote
server keeps a copy of its start-up output, so the test knows the key to look for).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.client.e2e_support import moshz_over_ssh, ssh_pane
from tests.faults.fixtures import SessionFactory
from tests.faults.local import CLIENTS, shell_pid
from tests.tools import procs
from tests.tools.bootstrap import parse_connect
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

TEE_SERVER = """#!/bin/sh
"{moshz}" --server "$@" | tee "{copy}"
"""


def command_lines() -> dict[int, bytes]:
    """Every live process's command line, raw."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                found[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
    return found


def assert_key_not_in_argv(key: str) -> None:
    """No process has the key anywhere in its command line."""
    leaks = {pid: line for pid, line in command_lines().items() if key.encode() in line}
    assert not leaks, f"the key is in the command line of {leaks}"


def assert_key_not_in_environment(pids: set[int], key: str) -> None:
    """None of these processes has MOSH_KEY or the key in its environment."""
    for pid in pids:
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        assert b"MOSH_KEY" not in environ, f"MOSH_KEY in the environment of {pid}"
        assert key.encode() not in environ, f"the key in the environment of {pid}"


@pytest.mark.parametrize("client", CLIENTS)
def test_key_stays_out_of_argv_environment_and_log(
    client: str,
    relayed_sessions: SessionFactory,
) -> None:
    server, relay, pane = relayed_sessions(client, verbose=True)
    pane.line("sleep 60 & echo started-$((6*7))")
    pane.wait_for_row("started-42")
    assert_key_not_in_argv(server.key)
    assert_key_not_in_environment({shell_pid(server)} | procs.descendants(server.pid), server.key)
    pane.line("kill %1; exit")
    pane.wait_exit(timeout=30)
    wait_until(lambda: "datagrams rejected" in server.log.read_text(), 30, "the exit report")
    assert server.key not in server.log.read_text()


def test_key_stays_out_of_argv_and_log_over_ssh(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, tmp_path: Path
) -> None:
    remote_moshz = ssh_server.install(moshz_file, "moshz")
    copy = f"{ssh_server.remote_dir}/connect.txt"
    script = TEE_SERVER.format(moshz=remote_moshz, copy=copy).encode()
    wrapper = ssh_server.write_file("tee-server", script, mode=0o755)
    log = tmp_path / "client.log"
    client = moshz_over_ssh(moshz_file, ssh_server, shlex.quote(wrapper))
    argv = ["sh", "-c", 'exec "$@" 2>"$0"', str(log), client[0], "-vv", *client[1:]]
    pane = ssh_pane(tmux, ssh_server, argv)
    key = parse_connect(Path(copy).read_text()).key
    pane.line("echo hello-$((6*7))")
    pane.wait_for_row("hello-42")
    assert_key_not_in_argv(key)
    servers = {pid for pid, line in command_lines().items() if remote_moshz.encode() in line}
    assert servers
    below = set().union(*(procs.descendants(pid) for pid in servers))
    assert_key_not_in_environment(servers | below, key)
    pane.line("exit")
    pane.wait_exit(timeout=30)
    assert "moshz: server at" in log.read_text()  # the -vv log was written
    assert key not in log.read_text()


def test_the_argv_check_sees_a_leak() -> None:
    key = "AAAAAAAAAAAAAAAAAAAAAA"
    leaky = subprocess.Popen(["sh", "-c", "sleep 30", key])  # the key as $0
    try:
        wait_until(lambda: key.encode() in command_lines().get(leaky.pid, b""), 10, "exec")
        with pytest.raises(AssertionError, match="command line"):
            assert_key_not_in_argv(key)
    finally:
        leaky.kill()
        leaky.wait()
