"""Local echo through the whole client: ClientSession and ServerSession over a slow link.

Both sides are the real sans-I/O sessions (transports, echo acks, emulator,
prediction engine); the network is an in-memory queue delaying each datagram
by 100 ms (200 ms round trip); the application is a terminal in cooked mode
that echoes what it reads, or nothing at a password prompt. Time is a fake
clock moved in 5 ms steps, each step one loop iteration of both sides.
"""

from __future__ import annotations

import dataclasses
import heapq

from moshz.client.escape import escape_config
from moshz.client.session import ClientConfig, ClientSession, client_transport
from moshz.server.session import ServerSession
from moshz.ssp.transport import Transport
from moshz.term.emulator import Emulator
from moshz.term.frame import Frame
from tests.support.fakes import FakeClock, seeded_rand
from tests.support.harness import CLIENT_ADDR, KEY, SERVER_ADDR, server_transport

ONE_WAY_MS = 100
STEP_MS = 5
WIDTH, HEIGHT = 40, 6
CONFIG = ClientConfig(ip=SERVER_ADDR[0], port=SERVER_ADDR[1], escape=escape_config(None))


class SlowLink:
    """A client session, a server session and a cooked-mode application, 100 ms apart."""

    def __init__(self, predict: str) -> None:
        self.clock = FakeClock()
        now = self.clock.now
        emulator = Emulator(WIDTH, HEIGHT)
        server = server_transport(emulator.frame(), now, seeded_rand(1))
        self.server = ServerSession(server, emulator, now)
        client = client_transport(KEY, WIDTH, HEIGHT, SERVER_ADDR, now, seeded_rand(2))
        config = dataclasses.replace(CONFIG, predict=predict)
        self.client = ClientSession(client, WIDTH, HEIGHT, now, config)
        self.in_flight: list[tuple[int, int, bool, bytes]] = []
        self.sent = 0
        self.echoing = True

    def step(self) -> None:
        """One loop iteration of both sides, then 5 ms pass."""
        now = self.clock.now
        self.client.tick(now)
        self.client.render(now)
        self.server.tick(now)
        self._send(self.client.transport, to_server=True, now=now)
        self._send(self.server.transport, to_server=False, now=now)
        self._deliver(now)
        typed = self.server.take_pty_input()
        if typed and self.echoing:
            self.server.pty_output(typed.replace(b"\r", b"\r\n"), now)
        self.clock.advance(STEP_MS)

    def run(self, ms: int) -> None:
        for _ in range(ms // STEP_MS):
            self.step()

    def _send(self, transport: Transport, to_server: bool, now: int) -> None:
        for data, _ in transport.datagrams_to_send(now):
            self.sent += 1
            heapq.heappush(self.in_flight, (now + ONE_WAY_MS, self.sent, to_server, data))

    def _deliver(self, now: int) -> None:
        while self.in_flight and self.in_flight[0][0] <= now:
            _, _, to_server, data = heapq.heappop(self.in_flight)
            if to_server:
                self._receive(self.server, data, CLIENT_ADDR, now)
            else:
                self._receive(self.client, data, SERVER_ADDR, now)

    def _receive(self, side: ClientSession | ServerSession, data: bytes, addr: tuple, now: int):
        transport = side.transport
        transport.receive_datagram(data, addr, now)
        for event in transport.events():
            side.handle_event(event, now)

    def type(self, data: bytes) -> Frame:
        """The user types; the client paints at once, as its loop does after a read."""
        now = self.clock.now
        self.client.user_input(data, now)
        self.client.render(now)
        return self.client.displayed

    def row(self, number: int = 0) -> str:
        return self.client.displayed.rows[number].text().rstrip()


def started(predict: str) -> SlowLink:
    """A session past its start, with the prompt shown and one echoed key confirmed."""
    link = SlowLink(predict)
    link.run(300)
    link.server.pty_output(b"$ ", link.clock.now)
    link.run(300)
    link.type(b"a")
    link.run(600)
    assert link.row() == "$ a"
    return link


def test_always_shows_a_typed_key_before_the_round_trip() -> None:
    link = started("always")
    assert link.type(b"b").rows[0].text().rstrip() == "$ ab"
    link.run(600)
    assert link.row() == "$ ab" and not link.client.predictor.active()


def test_adaptive_shows_a_typed_key_once_the_delay_is_known() -> None:
    link = started("adaptive")
    assert link.client.transport.rtt.send_interval > 30
    assert link.type(b"b").rows[0].text().rstrip() == "$ ab"


def test_never_waits_for_the_echo() -> None:
    link = started("never")
    assert link.type(b"b").rows[0].text().rstrip() == "$ a"
    link.run(150)
    assert link.row() == "$ a"
    link.run(300)
    assert link.row() == "$ ab"


def test_echo_acks_reach_the_engine() -> None:
    link = started("always")
    predictor = link.client.predictor
    assert predictor.local_frame_late_acked >= 1
    sent = link.client.transport.last_sent_state_num
    link.type(b"b")
    link.run(600)
    assert link.client.transport.last_sent_state_num > sent
    assert predictor.local_frame_sent == sent  # as mosh: the sent number as of the last keystroke


def test_password_prompt_shows_nothing_typed() -> None:
    link = started("always")
    link.type(b"\r")
    link.run(400)
    link.server.pty_output(b"Password: ", link.clock.now)
    link.echoing = False
    link.run(400)
    for key in b"hunter2\r":
        link.type(bytes([key]))
        for _ in range(40):
            assert link.client.displayed == link.client.transport.remote_state.frame
            assert link.row(1) == "Password:"
            link.step()


def test_a_paste_is_not_predicted() -> None:
    link = started("always")
    link.type(b"b")
    assert link.type(b"x" * 101).rows[0].text().rstrip() == "$ a"  # "b" is gone too
    assert not link.client.predictor.active()
    link.run(600)
    assert link.row() == "$ ab" + "x" * 36


def test_a_resize_resets_predictions() -> None:
    link = started("always")
    link.type(b"b")
    link.client.resize(WIDTH + 1, HEIGHT, link.clock.now)
    link.client.render(link.clock.now)
    assert link.row() == "$ a"
