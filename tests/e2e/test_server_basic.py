"""moshz --server under Debian's real mosh, through the test sshd as the non-root user."""

from __future__ import annotations

import pytest

from tests.server.e2e_support import (
    PROMPT_MARK,
    ask,
    server_pid,
    server_command,
    start_session,
)
from tests.tools.procs import wait_gone
from tests.tools.screens import assert_same_screen
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

SCREEN = (
    b"\x1b[H\x1b[2J"
    b"plain \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b[4;33munderlined\x1b[0m"
    b" \x1b[7mreverse\x1b[0m\n"  # (no 90-97: mosh stores them as 256-colour 8-15)
    b"\x1b[38;5;208m256 orange\x1b[0m \x1b[48;5;27m256 blue bg\x1b[0m"
    b" \x1b[38;2;250;100;10mtrue fg\x1b[0m \x1b[48;2;10;90;200mtrue bg\x1b[0m\n"
    b"wide \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e | combining e\xcc\x81 a\xcc\x88 n\xcc\x83 | end\n"
    b"\x1b[42m\x1b[Kgreen erase\x1b[0m\n"
    b"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234\n"
)


def test_output_appears_and_exit_ends_both_sides(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    pane = start_session(tmux, ssh_server, server_command(moshz_file))
    assert pane.rows()[1].startswith(PROMPT_MARK), pane.dump()  # as mosh: the prompt on row 2
    server = server_pid(pane)
    shell = int(ask(pane, "echo SH=$$", "SH"))
    assert ask(pane, "echo TERM=$TERM", "TERM") == "xterm-256color"
    pane.line("echo hello-from-moshz")
    pane.wait_for_row("hello-from-moshz")
    pane.line("exit")
    assert pane.wait_exit() == 0
    wait_gone(shell)
    wait_gone(server)


def test_colours_and_unicode_look_as_in_tmux(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    screen = ssh_server.write_file("server-screen.bin", SCREEN)
    pane = start_session(tmux, ssh_server, server_command(moshz_file))
    pane.line(f"clear; cat {screen}; read _")
    assert_same_screen(pane, SCREEN)
    pane.send_keys("Enter")
    pane.line("exit")
    assert pane.wait_exit() == 0


def test_vi_draws_and_quits(ssh_server: SshServer, tmux: Tmux, moshz_file: str) -> None:
    text = ssh_server.write_file("vi-test.txt", b"first line\nsecond line\n")
    pane = start_session(tmux, ssh_server, server_command(moshz_file))
    pane.line(f"clear; echo before-vi; vi {text}")
    rows = pane.wait_for(lambda s: s.startswith("first line\nsecond line\n~"), "vi's screen")
    assert "vi-test.txt" in rows.split("\n")[-2]
    pane.send_text(":q")
    pane.send_keys("Enter")
    pane.wait_for(lambda s: s.startswith("before-vi\n"), "the shell screen back after vi")
    pane.wait_for(lambda s: s.split("\n")[1].startswith(PROMPT_MARK), "a prompt after vi")
    pane.line("exit")
    assert pane.wait_exit() == 0


def test_resizing_the_window_resizes_the_shell(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    pane = start_session(tmux, ssh_server, server_command(moshz_file), width=80, height=24)
    assert ask(pane, "echo SIZE=$(stty size)", "SIZE") == "24 80"
    pane.resize(60, 20)
    wait_until(lambda: ask(pane, "echo SIZE=$(stty size)", "SIZE") == "20 60", 15, "the new size")
    pane.line("clear; printf 'x%.0s' $(seq 1 100); echo")
    rows = pane.wait_for(lambda s: "x" * 40 + "\n" in s, "a wrapped line")
    assert rows.split("\n")[:2] == ["x" * 60, "x" * 40]
    pane.line("exit")
    assert pane.wait_exit() == 0


def test_sigterm_ends_the_session_cleanly(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str
) -> None:
    pane = start_session(tmux, ssh_server, server_command(moshz_file))
    server = server_pid(pane)
    ssh_server.ssh(f"kill -TERM {server}")
    assert pane.wait_exit() == 0
    wait_gone(server)
