"""moshz as the client of Debian's real mosh-server, through the test sshd as the test user."""

from __future__ import annotations

import pytest

from tests.client.e2e_support import (
    PROMPT_MARK,
    SCREEN,
    moshz_over_ssh,
    run_and_exit,
    ssh_pane,
)
from tests.server.e2e_support import ask
from tests.tools.screens import assert_same_screen
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e


def session(tmux: Tmux, ssh_server: SshServer, moshz: str, **size: int) -> Pane:
    return ssh_pane(tmux, ssh_server, moshz_over_ssh(moshz, ssh_server, "mosh-server"), **size)


def test_command_and_exit(ssh_server: SshServer, tmux: Tmux, moshz_file: str) -> None:
    pane = session(tmux, ssh_server, moshz_file)
    assert pane.rows()[1].startswith(PROMPT_MARK), pane.dump()  # mosh's release newline
    run_and_exit(pane)


def test_colours_and_unicode_look_as_in_tmux(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    screen = ssh_server.write_file("client-screen.bin", SCREEN)
    pane = session(tmux, ssh_server, moshz_file)
    pane.line(f"clear; cat {screen}; read _")
    assert_same_screen(pane, SCREEN)
    pane.send_keys("Enter")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()


def test_vi_resize_and_escape_quit(ssh_server: SshServer, tmux: Tmux, moshz_file: str) -> None:
    text = ssh_server.write_file("client-vi.txt", b"first line\nsecond line\n")
    pane = session(tmux, ssh_server, moshz_file)
    pane.line(f"clear; echo before-vi; vi {text}")
    pane.wait_for(lambda s: s.startswith("first line\nsecond line\n~"), "vi's screen")
    pane.send_text(":q")
    pane.send_keys("Enter")
    # mosh-server has no alternate screen: vi's screen stays, with the prompt below it
    pane.wait_for(lambda s: s.rstrip().endswith(PROMPT_MARK), "a prompt after vi")
    pane.resize(60, 20)
    wait_until(lambda: ask(pane, "echo SIZE=$(stty size)", "SIZE") == "20 60", 15, "60x20")
    pane.send_bytes(b"\x1e.")
    assert pane.wait_exit() == 0, pane.dump()
