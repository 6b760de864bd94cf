"""Sessions through the test tools' UDP relay: added delay, and datagrams and bytes counted."""

from __future__ import annotations

from typing import NamedTuple

from bench.sessions.launch import Link, LinkFactory, Session
from tests.tools.relay import Address, Impairment, Relay

DIRECTIONS = ("up", "down")


class Traffic(NamedTuple):
    """Datagrams and UDP payload bytes the relay received, both directions together."""

    datagrams: int
    bytes: int


class CountingRelay(Relay):
    """The relay plus a byte count per direction (its own counters hold datagrams only)."""

    def __init__(self, target: Address, up: Impairment, down: Impairment) -> None:
        super().__init__(target, up=up, down=down)
        self.received_bytes = dict.fromkeys(DIRECTIONS, 0)

    def _ingest(self, direction: str, data: bytes, now: float) -> None:
        """Count the datagram's bytes, then impair it as the relay always does."""
        self.received_bytes[direction] += len(data)
        super()._ingest(direction, data, now)

    def traffic(self) -> Traffic:
        """Everything received so far from client and server."""
        stats = self.stats()
        return Traffic(stats.up.received + stats.down.received, sum(self.received_bytes.values()))


class RelayLink(Link):
    """The client's path to the server through a counting relay, delayed each way."""

    def __init__(self, server_port: int, one_way_ms: float = 0.0) -> None:
        impairment = Impairment(delay_ms=one_way_ms)
        self.relay = CountingRelay(("127.0.0.1", server_port), impairment, impairment)
        self.relay.start()
        super().__init__(self.relay.port)

    def close(self) -> None:
        """Stop the relay."""
        self.relay.stop()


def relayed(rtt_ms: float = 0.0) -> LinkFactory:
    """A link factory: a counting relay adding `rtt_ms` of round-trip delay (half each way)."""
    return lambda server_port: RelayLink(server_port, rtt_ms / 2)


def session_traffic(session: Session) -> Traffic:
    """What the relay of a session opened with `relayed()` has seen so far."""
    if not isinstance(session.link, RelayLink):
        raise TypeError("the session does not go through a relay")
    return session.link.relay.traffic()
