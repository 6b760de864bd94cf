"""Shared pieces of the server's end-to-end tests (tests/e2e/test_server_*.py).

Real mosh (the Debian wrapper and mosh-client) logs in through the test sshd
as the non-root test user and starts ``moshz --server`` from a freshly built
one-file moshz (the `moshz_file` fixture of tests/tools/fixtures.py).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Mapping

from tests.tools.account import PROMPT
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux

ROOT = Path(__file__).resolve().parents[2]
PROMPT_MARK = PROMPT.rstrip()


def mosh_argv(ssh_server: SshServer, server_command: str) -> list[str]:
    """Debian's mosh, logging in through the test sshd, with ``server_command`` as mosh-server."""
    return [
        "mosh",
        f"--ssh={ssh_server.ssh_command}",
        f"--server={server_command}",
        ssh_server.destination,
    ]


def server_command(moshz: str, env: Mapping[str, str] | None = None) -> str:
    """The remote command line that starts ``moshz --server`` (with extra environment)."""
    prefix = ["env"] + [f"{k}={v}" for k, v in (env or {}).items()] if env else []
    return shlex.join(prefix + [moshz, "--server"])


def start_session(
    tmux: Tmux,
    ssh_server: SshServer,
    command: str,
    width: int = 80,
    height: int = 24,
    env: Mapping[str, str] | None = None,
) -> Pane:
    """A mosh session in a new pane, waited for until the shell prompt shows."""
    pane = tmux.new_pane(mosh_argv(ssh_server, command), width, height, env=env)
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    return pane


def ask(pane: Pane, command: str, tag: str) -> str:
    """Run ``command`` whose output line starts with ``tag=``; return the rest of that line."""
    pane.line(f"clear; {command}")
    screen = pane.wait_for(lambda s: f"\n{tag}=" in "\n" + s, f"{tag}= output")
    for row in screen.split("\n"):
        if row.startswith(f"{tag}="):
            return row[len(tag) + 1 :].rstrip()
    raise AssertionError(f"no {tag}= row")


def server_pid(pane: Pane) -> int:
    """The pid of the server of a session: the parent of the shell in the pane."""
    return int(ask(pane, "echo SRV=$PPID", "SRV"))
