"""Tests for the client session, driven against a real server-side Transport in memory."""

from __future__ import annotations

from moshz.client.escape import escape_config
from moshz.client.session import ClientConfig, ClientSession, client_transport
from moshz.statesync.terminal import TerminalState
from moshz.statesync.user import UserStream
from moshz.term.display import Capabilities
from moshz.term.emulator import Emulator
from moshz.term.frame import Frame
from moshz.wire.messages import Keystroke, Resize
from tests.support.fakes import FakeClock, seeded_rand
from tests.support.harness import CLIENT_ADDR, KEY, SERVER_ADDR, server_transport

RMCUP = b"\x1b[?1049l"
CONFIG = ClientConfig(
    ip=SERVER_ADDR[0],
    port=SERVER_ADDR[1],
    escape=escape_config(None),
    caps=Capabilities(),
    smcup=b"\x1b[?1049h",
    rmcup=RMCUP,
    title_prefix="[mosh] ",
)


class Pair:
    """A ClientSession and a server Transport exchanging datagrams without loss."""

    def __init__(self, width: int = 80, height: int = 5) -> None:
        self.clock = FakeClock()
        now = self.clock.now
        client = client_transport(KEY, width, height, SERVER_ADDR, now, seeded_rand(1))
        self.server = server_transport(Frame.blank(width, height), now, seeded_rand(2))
        self.session = ClientSession(client, width, height, now, CONFIG)
        self.emulator = Emulator(width, height)

    @property
    def now(self) -> int:
        return self.clock.now

    def run(self, ms: int = 300) -> None:
        """Let ``ms`` pass in 10 ms steps, moving every datagram and event."""
        client = self.session.transport
        for _ in range(ms // 10):
            now = self.clock.advance(10)
            self.session.tick(now)
            for data, _ in client.datagrams_to_send(now):
                self.server.receive_datagram(data, CLIENT_ADDR, now)
            for data, _ in self.server.datagrams_to_send(now):
                client.receive_datagram(data, SERVER_ADDR, now)
            for event in client.events():
                self.session.handle_event(event, now)

    def show(self, data: bytes) -> None:
        """The server-side application prints ``data``."""
        self.emulator.feed(data)
        self.server.set_local_state(TerminalState(self.emulator.frame()), self.now)

    def typed(self) -> list:
        """Every user event the server has received."""
        return self.server.remote_state.events_since(UserStream())


def bar_text(session: ClientSession) -> str:
    return session.displayed.rows[0].text()


def test_first_datagram_carries_the_window_size() -> None:
    pair = Pair()
    pair.run()
    assert pair.typed() == [Resize(80, 5)]


def test_server_output_is_painted() -> None:
    pair = Pair()
    pair.session.render(pair.now)
    pair.show(b"hello")
    pair.run()
    out = pair.session.render(pair.now)
    assert b"hello" in out
    assert pair.session.render(pair.now) == b""


def test_title_gets_the_prefix() -> None:
    pair = Pair()
    pair.show(b"\x1b]0;remote\x07")
    pair.run()
    assert b"\x1b]0;[mosh] remote\x07" in pair.session.render(pair.now)


def test_keys_reach_the_server() -> None:
    pair = Pair()
    pair.session.user_input(b"ls\r", pair.now)
    pair.run()
    assert pair.typed() == [Resize(80, 5), Keystroke(b"ls\r")]


def test_a_wrong_guess_does_not_keep_the_client_awake() -> None:
    pair = Pair()
    pair.run()
    pair.session.render(pair.now)
    pair.session.user_input(b"x", pair.now)
    pair.run()
    keystroke = pair.server.remote_state_num
    pair.emulator.feed(b"y")
    pair.server.set_local_state(TerminalState(pair.emulator.frame(), keystroke), pair.now)
    for _ in range(3):
        pair.run(1000)
        pair.session.render(pair.now)
    assert pair.session.predictor.wait_time(pair.now) is None
    assert pair.session.tick(pair.now) is None


def test_resize_is_sent() -> None:
    pair = Pair()
    pair.session.resize(30, 6, pair.now)
    pair.run()
    assert pair.typed()[-1] == Resize(30, 6)


def test_escape_help_then_quit_ends_cleanly() -> None:
    pair = Pair()
    pair.run()
    session = pair.session
    session.user_input(b"\x1e", pair.now)
    assert b"mosh: Commands: Ctrl-Z suspends" in session.render(pair.now)
    session.user_input(b".", pair.now)
    session.render(pair.now)
    assert bar_text(session).startswith("mosh: Exiting on user request...")
    assert session.transport.shutdown_in_progress
    pair.run()
    assert session.finished and session.clean
    assert session.exit_report() == ("", 0)


def test_literal_escape_key_is_sent() -> None:
    pair = Pair()
    pair.session.user_input(b"\x1e^", pair.now)
    pair.run()
    assert pair.typed()[-1] == Keystroke(b"\x1e")


def test_input_is_ignored_while_shutting_down() -> None:
    pair = Pair()
    pair.session.signalled(pair.now)
    pair.session.user_input(b"x", pair.now)
    pair.session.render(pair.now)
    assert bar_text(pair.session).startswith("mosh: Signal received, shutting down...")
    pair.run()
    assert pair.typed() == [Resize(80, 5)]


def test_suspend_is_requested() -> None:
    pair = Pair()
    pair.session.user_input(b"\x1e\x1a", pair.now)
    assert pair.session.suspend_requested
    assert pair.session.suspend_bytes().endswith(RMCUP)


def test_ctrl_l_repaints_everything() -> None:
    pair = Pair()
    pair.run()
    pair.session.render(pair.now)
    pair.session.user_input(b"\x0c", pair.now)
    assert b"\x1b[H\x1b[2J" in pair.session.render(pair.now)
    assert pair.session.resumed() == b"\x1b[?1049h\x1b[?1h"
    assert b"\x1b[H\x1b[2J" in pair.session.render(pair.now)


def test_server_exit_ends_cleanly() -> None:
    pair = Pair()
    pair.run()
    pair.server.start_shutdown(pair.now)
    pair.run()
    assert pair.session.finished and pair.session.clean


def test_silent_server_messages_and_timeout() -> None:
    pair = Pair()
    session = pair.session
    start = pair.now
    assert session.tick(start) == start + 250
    session.tick(start + 251)
    session.render(start + 251)
    assert bar_text(session).startswith("mosh: Nothing received from server on UDP port 60001.")
    session.tick(start + 15001)
    assert session.transport.shutdown_in_progress
    session.render(start + 15001)
    assert bar_text(session).startswith("mosh: Timed out waiting for server...")
    text, status = session.exit_report()
    assert "did not make a successful connection to 192.0.2.1:60001" in text
    assert status == 1


def test_connecting_message_goes_once_the_server_answers() -> None:
    pair = Pair()
    pair.clock.advance(300)
    pair.session.tick(pair.now)
    assert pair.session.bar.message
    pair.run()
    assert pair.session.bar.message == ""


def test_unclean_exit_report() -> None:
    pair = Pair()
    pair.run()
    text, status = pair.session.exit_report()
    assert "mosh did not shut down cleanly" in text and status == 1


def test_close_bytes_drop_the_bar_and_restore_the_terminal() -> None:
    pair = Pair()
    pair.run()
    session = pair.session
    session.user_input(b"\x1e", pair.now)
    session.render(pair.now)
    out = session.close_bytes(pair.now)
    assert out.endswith(RMCUP)
    assert b"mosh:" not in out
