"""moshz against ``moshz --server`` over ssh, and mosh's Perl wrapper driving moshz on both ends."""

from __future__ import annotations

import shlex

import pytest

from tests.client.e2e_support import (
    SCREEN,
    client_link,
    moshz_over_ssh,
    run_and_exit,
    ssh_pane,
)
from tests.server.e2e_support import ask
from tests.tools.screens import assert_same_screen
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e
__all__ = ["client_link"]


@pytest.fixture
def remote_moshz(ssh_server: SshServer, moshz_file: str) -> str:
    """The one-file moshz copied where the test user can run it."""
    return ssh_server.install(moshz_file, "moshz")


def server_command(remote_moshz: str) -> str:
    return shlex.join([remote_moshz, "--server"])


def test_command_colours_and_exit(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, remote_moshz: str
) -> None:
    argv = moshz_over_ssh(moshz_file, ssh_server, server_command(remote_moshz))
    pane = ssh_pane(tmux, ssh_server, argv)
    screen = ssh_server.write_file("client-screen.bin", SCREEN)
    pane.line(f"clear; cat {screen}; read _")
    assert_same_screen(pane, SCREEN)
    pane.send_keys("Enter")
    run_and_exit(pane)


def test_vi_and_resize(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, remote_moshz: str
) -> None:
    text = ssh_server.write_file("client-vi.txt", b"first line\nsecond line\n")
    argv = moshz_over_ssh(moshz_file, ssh_server, server_command(remote_moshz))
    pane = ssh_pane(tmux, ssh_server, argv)
    pane.line(f"clear; echo before-vi; vi {text}")
    pane.wait_for(lambda s: s.startswith("first line\nsecond line\n~"), "vi's screen")
    pane.send_text(":q")
    pane.send_keys("Enter")
    pane.wait_for(lambda s: s.startswith("before-vi\n"), "the shell screen back after vi")
    pane.resize(60, 20)
    wait_until(lambda: ask(pane, "echo SIZE=$(stty size)", "SIZE") == "20 60", 15, "60x20")
    pane.send_bytes(b"\x1e.")
    assert pane.wait_exit() == 0, pane.dump()


def test_mosh_wrapper_drives_moshz(
    ssh_server: SshServer, tmux: Tmux, client_link: str, remote_moshz: str
) -> None:
    argv = [
        "mosh",
        f"--ssh={ssh_server.ssh_command}",
        f"--client={client_link}",
        f"--server={server_command(remote_moshz)}",
    ]
    pane = ssh_pane(tmux, ssh_server, argv)
    run_and_exit(pane)
