"""``moshz --local``: a whole session on this machine, without ssh, in tmux."""

from __future__ import annotations

import pytest

from tests.client.e2e_support import LOCAL_SHELL, PROMPT_MARK, local_pane, run_and_exit
from tests.server.e2e_support import ask
from tests.tools.account import PROMPT
from tests.tools.tmux import Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

HELP = 'mosh: Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^'


def test_local_session_runs_a_command(tmux: Tmux, moshz_file: str) -> None:
    pane = local_pane(tmux, moshz_file)
    run_and_exit(pane)


def test_escape_key_help_and_quit(tmux: Tmux, moshz_file: str) -> None:
    pane = local_pane(tmux, moshz_file)
    pane.send_bytes(b"\x1e")
    pane.wait_for(lambda s: s.startswith(HELP), "the escape help in the bar")
    pane.send_bytes(b".")
    assert pane.wait_exit() == 0, pane.dump()


def test_escape_key_sends_a_literal_ctrl_caret(tmux: Tmux, moshz_file: str) -> None:
    pane = local_pane(tmux, moshz_file)
    pane.line("echo READY; od -An -c")
    pane.wait_for_row("READY")  # the shell has given the terminal back to canonical mode
    pane.send_bytes(b"\x1e^\x1ex\r\x04")
    pane.wait_for(lambda s: "036 036   x" in s, "od showing the bytes typed")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()


def test_resize_reaches_the_shell(tmux: Tmux, moshz_file: str) -> None:
    pane = local_pane(tmux, moshz_file)
    pane.resize(60, 20)
    wait_until(lambda: ask(pane, "echo SIZE=$(stty size)", "SIZE") == "20 60", 15, "60x20")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()


def test_title_gets_the_mosh_prefix(tmux: Tmux, moshz_file: str) -> None:
    pane = local_pane(tmux, moshz_file)
    pane.line("printf '\\033]0;remote-title\\007'")
    wait_until(lambda: pane.info("#{pane_title}") == "[mosh] remote-title", 15, "the title")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()


def test_suspend_and_resume(tmux: Tmux, moshz_file: str) -> None:
    pane = tmux.new_pane(["bash", "--norc", "--noprofile"], env={"PS1": "local$ "})
    pane.wait_for_text("local$")
    pane.line(f"PS1='{PROMPT}' {moshz_file} --local -- {' '.join(LOCAL_SHELL)}")
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    pane.line("echo before-suspend")
    pane.wait_for_row("before-suspend")
    pane.send_bytes(b"\x1e\x1a")
    pane.wait_for(lambda s: "[mosh is suspended.]" in s and "local$" in s, "the local shell")
    pane.line("fg")
    pane.wait_for_row("before-suspend")
    pane.line("echo after-resume")
    pane.wait_for_row("after-resume")
    pane.line("exit")
    pane.wait_for_text("[mosh is exiting.]")
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()
