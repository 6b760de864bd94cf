"""Shared pieces of the client's end-to-end tests (tests/e2e/test_client_*.py).

The moshz under test is the one-file build of ``tests.tools.fixtures.moshz_file``
(or $MOSHZ_FILE); it runs as the local user in a private tmux, and reaches the
test sshd as the non-root test user.
"""

from __future__ import annotations

import os
import tempfile
from typing import Iterator, Sequence

import pytest

from tests.tools.account import PROMPT
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux

PROMPT_MARK = PROMPT.rstrip()
LOCAL_SHELL = ("bash", "--norc", "--noprofile")
STARTUP_TIMEOUT = 30.0

# Colours, attributes, wide and combining characters, background-colour erase.
SCREEN = (
    b"\x1b[H\x1b[2J"
    b"plain \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b[4;33munderlined\x1b[0m"
    b" \x1b[7mreverse\x1b[0m\n"
    b"\x1b[38;5;208m256 orange\x1b[0m \x1b[48;5;27m256 blue bg\x1b[0m"
    b" \x1b[38;2;250;100;10mtrue fg\x1b[0m\n"
    b"wide \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e | combining e\xcc\x81 a\xcc\x88 | end\n"
    b"\x1b[42m\x1b[Kgreen erase\x1b[0m\n"
)


@pytest.fixture
def client_link(moshz_file: str) -> Iterator[str]:
    """A ``moshz-client`` symlink to the one-file moshz (what mosh's --client= names)."""
    with tempfile.TemporaryDirectory(prefix="moshz-client-") as directory:
        link = os.path.join(directory, "moshz-client")
        os.symlink(moshz_file, link)
        yield link


def local_pane(tmux: Tmux, moshz: str, *options: str, width: int = 80, height: int = 24) -> Pane:
    """``moshz --local`` running a plain bash with the test prompt, waited for until it shows."""
    argv = [moshz, "--local", *options, "--", *LOCAL_SHELL]
    pane = tmux.new_pane(argv, width, height, env={"PS1": PROMPT})
    pane.wait_for_text(PROMPT_MARK, timeout=STARTUP_TIMEOUT)
    return pane


def ssh_pane(
    tmux: Tmux,
    ssh_server: SshServer,
    argv: Sequence[str],
    width: int = 80,
    height: int = 24,
) -> Pane:
    """A session started by ``argv`` (moshz or mosh plus options) to the test user."""
    pane = tmux.new_pane([*argv, ssh_server.destination], width, height)
    pane.wait_for_text(PROMPT_MARK, timeout=STARTUP_TIMEOUT)
    return pane


def moshz_over_ssh(moshz: str, ssh_server: SshServer, server: str) -> list[str]:
    """moshz with the test sshd's ssh command and ``server`` as the remote server command."""
    return [moshz, f"--ssh={ssh_server.ssh_command}", f"--server={server}"]


def run_and_exit(pane: Pane) -> None:
    """Run a command, see its output, end the shell and check moshz's clean exit."""
    pane.line("echo hello-$((6*7))")
    pane.wait_for_row("hello-42")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()
    assert "[mosh is exiting.]" in pane.capture(), pane.dump()
