"""The impairment relay, driven with plain UDP sockets on loopback."""

from __future__ import annotations

import functools
import socket
import subprocess
import sys
import time
from typing import Iterator

import pytest

from tests.tools.fixtures import RelayFactory, relay_factory
from tests.tools.relay import Impairment, Relay, next_roam_host
from tests.tools.relay_cli import build_parser, impairment_for
from tests.tools.wait import wait_until

__all__ = ["relay_factory"]

WAIT = 10.0
BATCH = 50


def udp_socket() -> Iterator[socket.socket]:
    """The body of both end fixtures: a UDP socket on 127.0.0.1, closed afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(WAIT)
    yield sock
    sock.close()


@pytest.fixture
def server() -> Iterator[socket.socket]:
    """The far end: a UDP socket on 127.0.0.1 playing the mosh server."""
    yield from udp_socket()


@pytest.fixture
def client() -> Iterator[socket.socket]:
    """The near end: a UDP socket playing the mosh client."""
    yield from udp_socket()


def port_of(sock: socket.socket) -> int:
    """The port a socket is bound to."""
    return sock.getsockname()[1]


def send_all(relay: Relay, sock: socket.socket, payloads: list[bytes]) -> None:
    """Send datagrams up and wait until the relay has taken them all in."""
    for payload in payloads:
        sock.sendto(payload, relay.listen_address)
    wait_until(lambda: relay.stats().up.received >= len(payloads), WAIT, "the relay to read")


def send_and_collect(
    relay: Relay, client: socket.socket, server: socket.socket, payloads: list[bytes]
) -> list[bytes]:
    """Send many datagrams up in small batches, each forwarded or dropped and read at the
    server before the next (so no kernel buffer overflows); return what the server got."""
    got: list[bytes] = []
    for start in range(0, len(payloads), BATCH):
        batch = payloads[start : start + BATCH]
        send_all(relay, client, batch)
        settled = functools.partial(_settled, relay, start + len(batch))
        (forwarded,) = wait_until(settled, WAIT, "the relay to forward or drop")
        got += [data for data, _ in receive(server, forwarded - len(got))]
    return got


def _settled(relay: Relay, count: int) -> tuple[int] | None:
    """(number forwarded up) once `count` datagrams are all forwarded or dropped, else None."""
    up = relay.stats().up
    return (up.forwarded,) if up.forwarded + up.dropped >= count else None


def receive(sock: socket.socket, count: int) -> list[tuple[bytes, tuple]]:
    """Exactly `count` datagrams with their senders (fails if they do not come)."""
    return [sock.recvfrom(2048) for _ in range(count)]


def nothing_waiting(sock: socket.socket) -> bool:
    """Say whether no datagram is queued on `sock` right now."""
    sock.setblocking(False)
    try:
        sock.recvfrom(2048)
        return False
    except BlockingIOError:
        return True
    finally:
        sock.settimeout(WAIT)


def payloads(count: int) -> list[bytes]:
    """Distinct numbered payloads, in sending order."""
    return [b"%06d" % i for i in range(count)]


def connect(relay: Relay, client: socket.socket, server: socket.socket) -> tuple:
    """One datagram up so the relay learns the client; returns the relay's source address."""
    client.sendto(b"hello", relay.listen_address)
    data, source = server.recvfrom(2048)
    assert data == b"hello"
    return source


def test_forwards_both_ways_and_counts(relay_factory: RelayFactory, client, server) -> None:
    relay = relay_factory(port_of(server))
    source = connect(relay, client, server)
    server.sendto(b"reply", source)
    assert client.recvfrom(2048) == (b"reply", relay.listen_address)
    stats = relay.stats()
    assert (stats.up.received, stats.up.forwarded, stats.down.forwarded) == (1, 1, 1)
    assert stats.client == client.getsockname()
    assert stats.source == source


def test_delay_holds_each_datagram_at_least_that_long(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), up=Impairment(delay_ms=150))
    sent = time.monotonic()
    client.sendto(b"late", relay.listen_address)
    assert server.recvfrom(2048)[0] == b"late"
    assert time.monotonic() - sent >= 0.15


def test_delay_and_jitter_keep_a_lower_bound_downstream(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), down=Impairment(delay_ms=80, jitter_ms=40))
    source = connect(relay, client, server)
    sent = time.monotonic()
    for payload in payloads(5):
        server.sendto(payload, source)
    assert sorted(data for data, _ in receive(client, 5)) == payloads(5)
    assert time.monotonic() - sent >= 0.08


def test_loss_rate_follows_the_probability(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), up=Impairment(loss=0.3), seed=7)
    got = send_and_collect(relay, client, server, payloads(1000))
    stats = relay.stats().up
    assert stats.received == stats.forwarded + stats.dropped == 1000
    assert 250 <= stats.dropped <= 350
    assert len(got) == stats.forwarded
    assert nothing_waiting(server)


def test_the_seed_decides_which_datagrams_are_lost(relay_factory, client, server) -> None:
    survivors = []
    for _ in range(2):
        relay = relay_factory(port_of(server), up=Impairment(loss=0.5), seed=42)
        survivors.append(send_and_collect(relay, client, server, payloads(60)))
    assert survivors[0] == survivors[1]
    assert 0 < len(survivors[0]) < 60


def test_duplication_sends_every_datagram_twice(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), up=Impairment(duplicate=1.0))
    send_all(relay, client, payloads(3))
    assert [data for data, _ in receive(server, 6)] == [p for p in payloads(3) for _ in "ab"]
    assert relay.stats().up.duplicated == 3


def test_reorder_swaps_neighbours(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), up=Impairment(reorder=1.0, reorder_hold_ms=60_000))
    send_all(relay, client, payloads(6))
    order = [int(data) for data, _ in receive(server, 6)]
    assert order == [1, 0, 3, 2, 5, 4]
    assert relay.stats().up.reordered == 3


def test_a_held_datagram_goes_when_nothing_overtakes_it(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server), up=Impairment(reorder=1.0, reorder_hold_ms=20))
    client.sendto(b"alone", relay.listen_address)
    assert server.recvfrom(2048)[0] == b"alone"


def test_outage_drops_everything_until_it_ends(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    source = connect(relay, client, server)
    relay.outage()
    send_all(relay, client, payloads(5))
    server.sendto(b"lost", source)
    wait_until(lambda: relay.stats().down.dropped == 1, WAIT, "the reply to be dropped")
    assert relay.stats().up.dropped == 5
    assert nothing_waiting(server)
    assert nothing_waiting(client)
    relay.end_outage()
    client.sendto(b"back", relay.listen_address)
    assert server.recvfrom(2048)[0] == b"back"


def test_timed_outage_ends_by_itself(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    relay.outage(0.2)

    def one_gets_through() -> bool:
        client.sendto(b"probe", relay.listen_address)
        return relay.stats().up.forwarded > 0

    wait_until(one_gets_through, WAIT, "the outage to end")
    assert server.recvfrom(2048)[0] == b"probe"


def test_one_way_outage(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    source = connect(relay, client, server)
    relay.outage(direction="down")
    server.sendto(b"lost", source)
    client.sendto(b"passes", relay.listen_address)
    assert server.recvfrom(2048)[0] == b"passes"
    wait_until(lambda: relay.stats().down.dropped == 1, WAIT, "the reply to be dropped")


def test_parameters_change_while_running(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    relay.impair("up", loss=1.0)
    send_all(relay, client, payloads(3))
    assert relay.stats().up.dropped == 3
    relay.impair(loss=0.0, delay_ms=10)
    assert relay.impairment("down") == Impairment(delay_ms=10)
    client.sendto(b"through", relay.listen_address)
    assert server.recvfrom(2048)[0] == b"through"


def test_roam_changes_source_address_and_port(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    first = connect(relay, client, server)
    moved = relay.roam()
    assert moved[0] == "127.0.0.2" and moved != first
    client.sendto(b"after", relay.listen_address)
    assert server.recvfrom(2048) == (b"after", moved)
    server.sendto(b"reply", moved)
    assert client.recvfrom(2048)[0] == b"reply"
    assert relay.stats().roams == 1


def test_periodic_roaming(relay_factory, client, server) -> None:
    relay = relay_factory(port_of(server))
    relay.roam_every(0.05)
    wait_until(lambda: relay.stats().roams >= 3, WAIT, "three roams")
    relay.roam_every(None)
    source = connect(relay, client, server)
    assert source == relay.stats().source
    assert source[0] != "127.0.0.1"


def test_roam_host_cycle() -> None:
    assert next_roam_host("127.0.0.1") == "127.0.0.2"
    assert next_roam_host("127.0.0.2") == "127.0.0.3"
    assert next_roam_host("127.0.0.254") == "127.0.0.2"


def test_cli_options_set_each_direction() -> None:
    args = build_parser().parse_args(
        ["--target", "127.0.0.1:9", "--delay-ms", "100", "--up-loss", "0.3", "--down-delay-ms", "5"]
    )
    assert impairment_for(args, "up") == Impairment(delay_ms=100, loss=0.3)
    assert impairment_for(args, "down") == Impairment(delay_ms=5)


def test_cli_relays_and_obeys_commands(client, server) -> None:
    command = [
        sys.executable,
        "-m",
        "tests.tools.relay",
        "--target",
        f"127.0.0.1:{port_of(server)}",
    ]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:  # fmt: skip
        try:
            port = int(process.stdout.readline())
            client.sendto(b"via-cli", ("127.0.0.1", port))
            assert server.recvfrom(2048)[0] == b"via-cli"
            process.stdin.write("roam\nstats\n")
            process.stdin.flush()
            assert process.stdout.readline().split()[0] == "127.0.0.2"
            assert "up.forwarded=1" in process.stdout.readline().split()
        finally:
            process.terminate()
        assert process.wait(WAIT) == 0
        assert "roams=1" in process.stderr.read()
