"""Prove the e2e harness with real mosh: sshd, tmux, screen comparison and the relay."""

from __future__ import annotations

import pytest

from tests.tools.account import PROMPT
from tests.tools.bootstrap import start_remote_server
from tests.tools.fixtures import RelayFactory
from tests.tools.relay import Impairment
from tests.tools.screens import assert_same_screen
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

PROMPT_MARK = PROMPT.rstrip()
COLOURS = (
    b"\x1b[H\x1b[2J"
    b"plain \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b[4;33munderlined\x1b[0m\n"
    b"\x1b[44mblue background\x1b[0m \x1b[7mreverse\x1b[0m \x1b[3mitalic\x1b[0m\n"
    b"\x1b[38;5;208m256-colour orange\x1b[0m \x1b[48;2;10;90;200mtrue colour\x1b[0m\n"
    b"wide \xe6\x97\xa5\xe6\x9c\xac accents \xc3\xa9\xc3\xa8 end\n"
    b"\x1b[41m\x1b[Kbackground erase\x1b[0m\n"
)


def type_and_see(pane: Pane, text: str) -> None:
    """Run `echo text` at the prompt and wait for its output row."""
    pane.line(f"echo {text}")
    pane.wait_for_row(text)


def test_mosh_session_in_tmux(ssh_server: SshServer, tmux: Tmux) -> None:
    """Debian's mosh logs in through our sshd: prompt, a command, colours, and exit."""
    colours = ssh_server.write_file("colours.bin", COLOURS)
    pane = tmux.new_pane(["mosh", f"--ssh={ssh_server.ssh_command}", ssh_server.destination])
    pane.wait_for_text(PROMPT_MARK)
    type_and_see(pane, "hello-e2e")
    pane.line(f"clear; cat {colours}; read _")
    assert_same_screen(pane, COLOURS)
    pane.send_keys("Enter")
    pane.wait_for_text(PROMPT_MARK)
    pane.line("exit")
    assert pane.wait_exit() == 0


def test_mosh_client_through_the_relay(
    ssh_server: SshServer, tmux: Tmux, relay_factory: RelayFactory
) -> None:
    """mosh-server started by hand, mosh-client (key only in its environment) via a slow relay
    that also roams and has an outage."""
    connect = start_remote_server(ssh_server)
    slow = Impairment(delay_ms=100)
    relay = relay_factory(connect.port, up=slow, down=slow)
    client = ["mosh-client", "127.0.0.1", str(relay.port)]
    pane = tmux.new_pane(client, env={"MOSH_KEY": connect.key})
    pane.wait_for_text(PROMPT_MARK)
    type_and_see(pane, "hello-relay")
    relay.roam()
    type_and_see(pane, "after-roaming")
    relay.outage()
    pane.line("echo after-outage")
    wait_until(lambda: relay.stats().up.dropped > 0, 10, "keystrokes to be dropped")
    relay.end_outage()
    pane.wait_for_row("after-outage")
    pane.line("exit")
    assert pane.wait_exit() == 0
    stats = relay.stats()
    assert stats.up.forwarded > 0 and stats.down.forwarded > 0
    assert stats.roams == 1
