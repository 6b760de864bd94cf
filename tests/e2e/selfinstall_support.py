"""Shared pieces of the self-install end-to-end tests (tests/e2e/test_selfinstall*.py).

A dedicated test account (``moshzsi``) that never had moshz: nothing on its
PATH, its cache emptied before each test. The client is the one-file build,
run with ``--ssh`` set to a small wrapper around the test sshd's ssh command
that records each connection ("launch", or "upload" for ssh -T) and keeps a
copy of what the remote side printed.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
from pathlib import Path
from typing import Iterator, Mapping

import pytest

from tests.client.e2e_support import PROMPT_MARK, STARTUP_TIMEOUT
from tests.tools import sshd
from tests.tools.account import BASHRC, Account, prepare_home, write_owned
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux

ACCOUNT = "moshzsi"
WRAPPER = """\
#!/bin/sh
for a; do [ "$a" = -G ] && exec "$@"; done
kind=launch
for a; do [ "$a" = -T ] && kind=upload; done
echo "$kind" >> {log}/connections
"$@" | tee -a {log}/remote.out
"""


@pytest.fixture(scope="module")
def fresh_server(e2e_ready: None) -> Iterator[SshServer]:
    """sshd logging in the self-install test account, for one test module."""
    server = sshd.start_server(ACCOUNT)
    try:
        yield server
    finally:
        reset_account(server.account)
        sshd.stop_server(server)


def private_tmp(account: Account) -> Path:
    """The private temp dir the remote side falls back to (shiv's and the cache's)."""
    return Path("/tmp") / f"moshz-{account.uid}"


def reset_account(account: Account, bashrc_extra: str = "") -> None:
    """A home as if moshz had never run there: no cache, no unpacked file, default dotfiles."""
    os.chmod(account.home, 0o755)
    for path in (account.home / ".cache", account.home / ".shiv", private_tmp(account)):
        shutil.rmtree(path, ignore_errors=True)
    prepare_home(account)
    if bashrc_extra:
        write_owned(account, account.home / ".bashrc", (BASHRC + bashrc_extra).encode(), 0o644)


def cached_path(directory: Path, moshz: str) -> Path:
    """Where the remote side keeps our file: ``<directory>/moshz-<sha256>``."""
    return directory / f"moshz-{hashlib.sha256(Path(moshz).read_bytes()).hexdigest()}"


class SshLog:
    """The ssh wrapper and what it recorded: connection kinds and the remote side's output."""

    def __init__(self, directory: Path, server: SshServer) -> None:
        self.directory = directory
        self.wrapper = directory / "ssh-wrapper"
        self.wrapper.write_text(WRAPPER.format(log=shlex.quote(str(directory))))
        self.wrapper.chmod(0o755)
        self.ssh_option = f"--ssh={self.wrapper} {server.ssh_command}"

    def connections(self) -> list[str]:
        """"launch" or "upload" for each ssh connection made so far."""
        path = self.directory / "connections"
        return path.read_text().split() if path.exists() else []

    def remote_output(self) -> str:
        """Everything the remote side printed during start-up, all connections."""
        path = self.directory / "remote.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def client_errors(self) -> str:
        """The client's stderr (its -v lines)."""
        path = self.directory / "client.err"
        return path.read_text(errors="replace") if path.exists() else ""


def client_pane(
    tmux: Tmux,
    moshz: str,
    server: SshServer,
    log: SshLog,
    *options: str,
    env: Mapping[str, str] | None = None,
) -> Pane:
    """``moshz -v --ssh=<wrapper> [options] user@127.0.0.1``, its stderr kept in the log dir."""
    argv = [moshz, "-v", log.ssh_option, *options, server.destination]
    command = shlex.join(argv) + " 2>>" + shlex.quote(str(log.directory / "client.err"))
    return tmux.new_pane(command, env=env)


def session_pane(tmux: Tmux, moshz: str, server: SshServer, log: SshLog, **env: str) -> Pane:
    """A self-installing session, waited for until the remote shell's prompt shows."""
    pane = client_pane(tmux, moshz, server, log, env=env)
    pane.wait_for_text(PROMPT_MARK, timeout=STARTUP_TIMEOUT)
    return pane
