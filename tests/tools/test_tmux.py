"""The tmux harness: panes of a given size, keys in, screens out, exits noticed."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.tools.tmux import Tmux, tmux_available

pytestmark = pytest.mark.skipif(not tmux_available(), reason="tmux not installed")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server for one test."""
    server = Tmux()
    yield server
    server.kill()


def test_pane_size_environment_and_output(tmux: Tmux) -> None:
    pane = tmux.new_pane("echo $TERM $LANG $EXTRA; tput cols", 50, 7, env={"EXTRA": "given"})
    assert pane.wait_exit() == 0
    assert pane.size() == (50, 7)
    assert pane.rows()[:2] == ["tmux-256color C.UTF-8 given", "50"]


def test_keys_text_and_bytes_reach_the_program(tmux: Tmux) -> None:
    pane = tmux.new_pane(["sh", "-c", 'read a; read b; printf \'%s|%s\\n\' "$a" "$b"; cat -v'])
    pane.line("-n literal;text")
    pane.send_text("second")
    pane.send_keys("Enter")
    pane.wait_for_row("-n literal;text|second")
    pane.send_bytes(b"\x01\n")
    assert pane.wait_for_row("^A") >= 2


def test_exit_status_and_dead_pane_keep_the_screen(tmux: Tmux) -> None:
    pane = tmux.new_pane(["sh", "-c", "echo last words; exit 3"])
    assert pane.wait_exit() == 3
    assert pane.is_dead()
    assert pane.rows()[0] == "last words"


def test_cursor_and_resize(tmux: Tmux) -> None:
    pane = tmux.new_pane(["sh", "-c", "printf 'ab\\ncd'; exec cat"], 30, 5)
    pane.wait_for(lambda screen: "cd" in screen, "output")
    assert pane.cursor() == (2, 1)
    pane.resize(40, 9)
    assert pane.size() == (40, 9)
    assert not pane.is_dead() and pane.exit_status() is None


def test_wait_failure_shows_the_screen(tmux: Tmux) -> None:
    pane = tmux.new_pane(["sh", "-c", "echo visible; exec cat"])
    with pytest.raises(AssertionError, match="(?s)never-there.*\\|visible"):
        pane.wait_for_text("never-there", timeout=0.2)
