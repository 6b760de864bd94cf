"""A ServerSession wired to a real client Transport in memory, under a hand-moved clock.

Datagrams are delivered at once; the pty is a byte sink the test can read and
a source the test writes to (``app_writes``). Everything else is real: both
transports, the emulator and the terminal state.
"""

from __future__ import annotations

from typing import Callable

from moshz.client.session import client_transport
from moshz.server.session import IdleLimits, ServerSession
from moshz.term.emulator import Emulator
from tests.support.fakes import FakeClock, seeded_rand
from tests.support.harness import CLIENT_ADDR, KEY, SERVER_ADDR, server_transport

NO_LIMITS = IdleLimits()


class Rig:
    """One server session, one client transport, a fake pty and a fake clock."""

    def __init__(
        self, client_size: tuple[int, int] = (100, 30), limits: IdleLimits = NO_LIMITS
    ) -> None:
        self.clock = FakeClock()
        now = self.clock.now
        emulator = Emulator(80, 24)
        server = server_transport(emulator.frame(), now, seeded_rand(1))
        self.session = ServerSession(server, emulator, now, limits)
        self.client = client_transport(KEY, *client_size, SERVER_ADDR, now, seeded_rand(2))
        self.client_size = client_size
        self.connected = False
        self.to_pty = b""
        self.client_events: list[object] = []

    def connect(self) -> None:
        """The client starts: its first state carries its window size."""
        self.connected = True
        self.client.set_local_state(
            self.client.local_state.push_resize(*self.client_size), self.clock.now
        )

    def type_keys(self, data: bytes) -> None:
        """The user types on the client."""
        self.client.set_local_state(self.client.local_state.push_keys(data), self.clock.now)

    def resize(self, width: int, height: int) -> None:
        """The user's window changes size."""
        self.client.set_local_state(
            self.client.local_state.push_resize(width, height), self.clock.now
        )

    def step(self) -> None:
        """One loop iteration of both sides at the current time, then jump to the next deadline."""
        now = self.clock.now
        session = self.session
        deadline = session.tick(now)
        if session.release_due:
            session.release_due = False
            self.to_pty += b"\n"
        self.to_pty += session.take_pty_input()
        for data, _ in session.transport.datagrams_to_send(now):
            self.client.receive_datagram(data, SERVER_ADDR, now)
        self._drain(now)
        if self.connected:
            for data, _ in self.client.datagrams_to_send(now):
                session.transport.receive_datagram(data, CLIENT_ADDR, now)
        self._drain(now)
        self._advance([deadline, session.transport.next_timeout(now), self._client_timeout(now)])

    def _client_timeout(self, now: int) -> int | None:
        return self.client.next_timeout(now) if self.connected else None

    def _drain(self, now: int) -> None:
        for event in iter(self.session.transport.next_event, None):
            self.session.handle_event(event, now)
        self.client_events.extend(iter(self.client.next_event, None))

    def _advance(self, deadlines: list[int | None]) -> None:
        pending = [d for d in deadlines if d is not None]
        if pending and min(pending) > self.clock.now:
            self.clock.now = min(pending)

    def run_until(self, done: Callable[[], bool], limit_ms: int = 120_000) -> bool:
        """Step until ``done()`` or ``limit_ms`` of fake time passed."""
        end = self.clock.now + limit_ms
        for _ in range(100_000):
            if done() or self.clock.now > end:
                return done()
            before = self.clock.now
            self.step()
            if self.clock.now == before and not done():
                self.clock.now += 1
        raise AssertionError("no progress")

    def app_writes(self, data: bytes) -> None:
        """The application in the pty prints ``data``."""
        self.session.pty_output(data, self.clock.now)

    def client_screen(self) -> list[str]:
        """The client's copy of the server's screen, as text."""
        return [line.rstrip() for line in self.client.remote_state.frame.lines()]
