"""A mosh client and server Transport joined by a FakeNetwork under a FakeClock.

Everything is deterministic: the test chooses the seeds and the network
conditions, and ``run_until`` jumps from one deadline to the next (the
earliest of both transports' timers and the next arrival), like a real loop
that always sleeps exactly as long as it was told.
"""

from __future__ import annotations

from typing import Any, Callable

from moshz.crypto.session import Session
from moshz.ssp.sender import Rand
from moshz.ssp.transport import Transport, earliest
from moshz.statesync.terminal import TerminalState
from moshz.statesync.user import UserStream
from moshz.term.frame import Frame
from tests.support.fakes import FakeClock, seeded_rand
from tests.support.network import LOSSLESS, Address, Conditions, FakeNetwork

KEY = bytes.fromhex("bc8138366dd1b2cb7a2aac36157f36c9")
SERVER_ADDR: Address = ("192.0.2.1", 60001)
CLIENT_ADDR: Address = ("198.51.100.7", 40000)
MAX_STEPS = 1_000_000


def server_transport(
    frame: Frame, now: int, rand: Rand, key: bytes = KEY
) -> Transport[TerminalState, UserStream]:
    """A server transport of a terminal session before any client spoke: `frame` out."""
    return Transport(
        Session(key),
        is_server=True,
        local=TerminalState(frame),
        remote=UserStream(),
        now=now,
        rand=rand,
    )


class Harness:
    """Two transports (UserStream both ways) and the network between them."""

    def __init__(
        self,
        seed: int = 0,
        conditions: Conditions = LOSSLESS,
        clock: FakeClock | None = None,
        width: int = 80,
        height: int = 24,
    ) -> None:
        self.clock = clock or FakeClock()
        self.network = FakeNetwork(seed, conditions)
        self.client_addr = CLIENT_ADDR
        now = self.clock.now
        self.server: Transport[UserStream, UserStream] = Transport(
            Session(KEY), is_server=True, local=UserStream(), remote=UserStream(),
            now=now, rand=seeded_rand(seed * 2 + 1),
        )
        self.client: Transport[UserStream, UserStream] = Transport(
            Session(KEY), is_server=False, local=UserStream(), remote=UserStream(),
            now=now, rand=seeded_rand(seed * 2 + 2), server_addr=SERVER_ADDR,
        )
        self.client.set_local_state(self.client.local_state.push_resize(width, height), now)
        self.hops = 0
        self.events: dict[str, list[Any]] = {"client": [], "server": []}

    def type_keys(self, data: bytes) -> None:
        """The user types ``data`` on the client."""
        self.client.set_local_state(self.client.local_state.push_keys(data), self.clock.now)

    def host_output(self, data: bytes) -> None:
        """The server's state changes (output to show)."""
        self.server.set_local_state(self.server.local_state.push_keys(data), self.clock.now)

    def converged(self) -> bool:
        """Both sides hold the other's current state."""
        return (
            self.server.remote_state == self.client.local_state
            and self.client.remote_state == self.server.local_state
        )

    def next_wakeup(self) -> int | None:
        """The earliest moment anything happens."""
        now = self.clock.now
        return earliest(
            self.client.next_timeout(now),
            self.server.next_timeout(now),
            self.network.next_delivery(),
        )

    def step(self) -> None:
        """Jump to the next wake-up, deliver what arrived, send what is due."""
        wakeup = self.next_wakeup()
        if wakeup is not None and wakeup > self.clock.now:
            self.clock.now = wakeup
        self.deliver()
        self.flush()

    def deliver(self) -> None:
        """Hand every arrived datagram to its destination transport."""
        now = self.clock.now
        for item in self.network.due(now):
            if item.dst == SERVER_ADDR:
                self.server.receive_datagram(item.data, item.src, now)
            else:
                self.client.receive_datagram(item.data, item.src, now)
        self._collect_events()

    def flush(self) -> None:
        """Send whatever both transports have due (the client may hop ports after)."""
        now = self.clock.now
        for data, addr in self.server.datagrams_to_send(now):
            self.network.send(data, SERVER_ADDR, addr, now)
        sent = self.client.datagrams_to_send(now)
        for data, addr in sent:
            self.network.send(data, self.client_addr, addr, now)
        if sent and self.client.port_hop_due(now):
            self.roam((self.client_addr[0], self.client_addr[1] + 1))
            self.client.port_hopped(now)
            self.hops += 1
        self._collect_events()

    def roam(self, addr: Address) -> None:
        """The client's datagrams come from a new address from now on."""
        self.client_addr = addr

    def _collect_events(self) -> None:
        for name, transport in (("client", self.client), ("server", self.server)):
            self.events[name].extend(transport.events())

    def run_until(self, done: Callable[[], bool], limit_ms: int) -> bool:
        """Step until ``done()`` or ``limit_ms`` of fake time passed; returns ``done()``."""
        deadline = self.clock.now + limit_ms
        for _ in range(MAX_STEPS):
            if done():
                return True
            wakeup = self.next_wakeup()
            if wakeup is None or wakeup > deadline:
                self.clock.now = deadline
                self.deliver()
                self.flush()
                return done()
            self.step()
        raise AssertionError("the simulation made no progress")

    def run_for(self, ms: int) -> None:
        """Let ``ms`` of fake time pass."""
        self.run_until(lambda: False, ms)
