"""The connection layer: nonces, timestamps, RTT, roaming, port hops, MTU (PROTOCOL.md 3-4)."""

from __future__ import annotations

import pytest

from moshz.crypto.session import Session
from moshz.errors import ProtocolError
from moshz.ssp.connection import Connection, mtu_for_address
from moshz.wire.packet import NO_TIMESTAMP, Packet
from tests.support.harness import CLIENT_ADDR, KEY, SERVER_ADDR

T0 = 1_000_000


def pair() -> tuple[Connection, Connection]:
    client = Connection(Session(KEY), is_server=False, now=T0, remote_addr=SERVER_ADDR)
    server = Connection(Session(KEY), is_server=True, now=T0)
    return client, server


def deliver(sender: Connection, receiver: Connection, now: int, addr=CLIENT_ADDR) -> Packet:
    packet = receiver.open(sender.seal(b"payload", now))
    receiver.accept(packet, addr, now)
    return packet


def test_sequence_numbers_count_from_zero_with_the_direction_bit() -> None:
    client, server = pair()
    first = server.open(client.seal(b"a", T0))
    second = server.open(client.seal(b"b", T0))
    assert (first.direction, first.seq, second.seq) == (0, 0, 1)
    back = client.open(server.seal(b"c", T0))
    assert (back.direction, back.seq) == (1, 0)


class CountingSession(Session):
    """Records every nonce sealed (a unit-test double around the real Session)."""

    def __init__(self) -> None:
        super().__init__(KEY)
        self.nonces: list[int] = []

    def seal(self, nonce: int, plaintext: bytes) -> bytes:
        self.nonces.append(nonce)
        return b""


def test_nonces_never_repeat_over_a_long_run() -> None:
    session = CountingSession()
    client = Connection(session, is_server=False, now=T0, remote_addr=SERVER_ADDR)
    for i in range(100_000):
        client.seal(b"", T0 + i)
    assert session.nonces == list(range(100_000))


def test_timestamp_is_echoed_once_advanced_by_the_holding_time() -> None:
    client, server = pair()
    deliver(client, server, T0)
    reply = client.open(server.seal(b"", T0 + 7))
    assert reply.timestamp_reply == (T0 + 7) & 0xFFFF
    again = client.open(server.seal(b"", T0 + 8))
    assert again.timestamp_reply == NO_TIMESTAMP


def test_timestamp_older_than_one_second_is_not_echoed() -> None:
    client, server = pair()
    deliver(client, server, T0)
    assert client.open(server.seal(b"", T0 + 1000)).timestamp_reply == NO_TIMESTAMP


def test_timestamp_ffff_is_never_sent() -> None:
    client, server = pair()
    now = 0xFFFF + 65536 * 20
    assert server.open(client.seal(b"", now)).timestamp == 0


def test_rtt_excludes_the_time_the_peer_held_the_timestamp() -> None:
    client, server = pair()
    server.accept(server.open(client.seal(b"", T0)), CLIENT_ADDR, T0 + 10)
    reply = server.seal(b"", T0 + 15)
    client.accept(client.open(reply), SERVER_ADDR, T0 + 25)
    assert client.rtt.srtt == 20.0
    assert not server.rtt.has_sample


def test_replies_older_than_five_seconds_do_not_count() -> None:
    client, server = pair()
    deliver(client, server, T0)
    datagram = server.seal(b"", T0 + 10)  # echoes T0 + 10
    client.accept(client.open(datagram), SERVER_ADDR, T0 + 5010)
    assert not client.rtt.has_sample


def test_server_adopts_the_address_of_in_order_datagrams_only() -> None:
    client, server = pair()
    old = client.seal(b"", T0)
    newer = client.seal(b"", T0 + 1)
    assert server.accept(server.open(newer), ("203.0.113.9", 5000), T0 + 2)
    assert server.remote_addr == ("203.0.113.9", 5000)
    assert not server.accept(server.open(old), ("203.0.113.66", 6000), T0 + 3)
    assert server.remote_addr == ("203.0.113.9", 5000)
    assert server.last_heard == T0 + 2


def test_old_datagrams_touch_neither_timestamps_nor_rtt() -> None:
    client, server = pair()
    deliver(client, server, T0)
    stale = server.seal(b"", T0 + 20)
    deliver(server, client, T0 + 40, SERVER_ADDR)
    srtt = client.rtt.srtt
    client.accept(client.open(stale), SERVER_ADDR, T0 + 60)
    assert client.rtt.srtt == srtt
    assert client.last_heard == T0 + 40


def test_client_never_moves_its_server_address() -> None:
    client, server = pair()
    deliver(server, client, T0, ("192.0.2.99", 1))
    assert client.remote_addr == SERVER_ADDR


def test_reflected_datagrams_are_refused() -> None:
    client, _ = pair()
    with pytest.raises(ProtocolError):
        client.open(client.seal(b"", T0))


def test_oversize_and_forged_datagrams_are_refused() -> None:
    client, server = pair()
    with pytest.raises(ProtocolError):
        server.open(bytes(2049))
    good = bytearray(client.seal(b"x", T0))
    good[-1] ^= 1
    with pytest.raises(ProtocolError):
        server.open(bytes(good))


def test_server_detaches_after_forty_seconds_of_silence() -> None:
    client, server = pair()
    deliver(client, server, T0)
    assert not server.after_send(T0 + 40000)
    assert server.after_send(T0 + 40001)
    assert not server.has_remote_addr
    assert deliver(client, server, T0 + 50000) is not None
    assert server.has_remote_addr


def test_client_port_hop_needs_ten_seconds_since_hop_and_round_trip() -> None:
    client, server = pair()
    assert not client.port_hop_due(T0 + 10000)
    assert client.port_hop_due(T0 + 10001)
    client.last_roundtrip_success = T0 + 5000
    assert not client.port_hop_due(T0 + 15000)
    assert client.port_hop_due(T0 + 15001)
    client.port_hopped(T0 + 15001)
    assert not client.port_hop_due(T0 + 25001)
    assert not server.port_hop_due(T0 + 100000)


def test_mtu_follows_the_address_family_and_send_errors() -> None:
    client, server = pair()
    assert client.mtu == 1252
    assert server.mtu == 500
    assert mtu_for_address(("::1", 1, 0, 0)) == 1216
    client.send_failed("sendto: Message too long", too_big=True)
    assert (client.mtu, client.send_error) == (500, "sendto: Message too long")


def test_server_mtu_follows_the_family_of_its_first_client() -> None:
    client, server = pair()
    deliver(client, server, T0, ("::ffff:198.51.100.7", 40000, 0, 0))
    assert server.mtu == 1216  # a dual-stack socket: mosh uses the IPv6 size
    _, v4_server = pair()
    deliver(client, v4_server, T0)
    assert v4_server.mtu == 1252
    explicit = Connection(Session(KEY), is_server=True, now=T0, mtu=1252)
    deliver(client, explicit, T0 + 1, ("::1", 5, 0, 0))
    assert explicit.mtu == 1252
