"""The whole transport over a seeded lossy network, on a fake clock."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.crypto.session import Session
from moshz.ssp.events import (
    DatagramRejected,
    PeerAddressChanged,
    PeerShutdownAcknowledged,
    ShutdownAcknowledged,
    ShutdownTimedOut,
)
from moshz.ssp.sender import ACK_DELAY
from moshz.ssp.transport import earliest
from moshz.wire.fragment import decode_fragment
from moshz.wire.messages import SHUTDOWN_NUM, Instruction, decode_instruction, encode_instruction
from moshz.wire.packet import decode_packet_plaintext
from tests.support.harness import CLIENT_ADDR, KEY, SERVER_ADDR, Harness
from tests.support.network import LOSSLESS, Conditions

LOSSY = Conditions(loss=0.5, duplicate=0.2, min_delay=5, max_delay=120)


def open_instruction(datagram: bytes) -> Instruction:
    nonce, plaintext = Session(KEY).open(datagram)
    fragment = decode_fragment(decode_packet_plaintext(nonce, plaintext).payload)
    return decode_instruction(zlib.decompress(fragment.contents))


def nonces(h: Harness) -> list[int]:
    return [int.from_bytes(item.data[:8], "big") for item in h.network.sent]


def connected(seed: int = 0, conditions: Conditions = LOSSLESS) -> Harness:
    h = Harness(seed, conditions)
    assert h.run_until(h.converged, 60_000)
    return h


def test_client_speaks_first_with_old_0_new_1_and_its_window_size() -> None:
    h = Harness()
    assert h.server.datagrams_to_send(h.clock.now) == []
    assert h.server.next_timeout(h.clock.now) is None
    [(datagram, addr)] = h.client.datagrams_to_send(h.clock.now)
    inst = open_instruction(datagram)
    assert addr == SERVER_ADDR
    assert (inst.old_num, inst.new_num, inst.ack_num, inst.throwaway_num) == (0, 1, 0, 0)
    assert inst.diff == bytes.fromhex("0a061a0428503018")  # basic session, datagram 0
    assert int.from_bytes(datagram[:8], "big") == 0


@pytest.mark.parametrize("seed", range(50))
def test_states_converge_under_heavy_loss_duplication_and_reordering(seed: int) -> None:
    h = Harness(seed, LOSSY)
    h.type_keys(b"ls -l\r")
    h.host_output(b"$ ")
    assert h.run_until(h.converged, 60_000)
    for key in b"echo hello, world\r":
        h.type_keys(bytes([key]))
        h.run_for(37)
        h.host_output(bytes([key]).upper())
    assert h.run_until(h.converged, 60_000)
    assert len(set(nonces(h))) == len(h.network.sent)
    assert h.client.datagrams_rejected == h.server.datagrams_rejected == 0


def test_session_resumes_within_one_retransmission_after_a_short_outage() -> None:
    h = connected(conditions=Conditions(min_delay=20, max_delay=20))
    h.run_for(5000)
    h.network.up = False
    h.type_keys(b"typed in the dark")
    h.host_output(b"output in the dark")
    h.run_for(8000)
    assert not h.converged()
    h.network.up = True
    back = h.clock.now
    assert h.run_until(h.converged, 60_000)
    assert h.clock.now - back <= h.client.rtt.rto + ACK_DELAY + 2 * 20


def test_session_resumes_within_a_heartbeat_after_a_long_outage_with_a_port_hop() -> None:
    h = connected(conditions=Conditions(min_delay=20, max_delay=20))
    h.network.up = False
    h.type_keys(b"x")
    h.run_for(30_000)
    assert h.hops >= 1
    h.network.up = True
    back = h.clock.now
    assert h.run_until(h.converged, 60_000)
    assert h.clock.now - back <= 3000 + 2 * 20
    assert h.server.remote_addr == h.client_addr != CLIENT_ADDR


def snapshot(h: Harness) -> tuple:
    return tuple(
        (
            t.remote_state,
            t.remote_state_num,
            t.rtt.srtt,
            t.rtt.rttvar,
            t.remote_addr,
            t.last_heard,
            t.acked_state_num,
        )
        for t in (h.client, h.server)
    )


def test_forged_flipped_and_replayed_datagrams_change_nothing() -> None:
    h = connected(conditions=Conditions(min_delay=20, max_delay=20))
    h.type_keys(b"secret")
    h.run_until(h.converged, 10_000)
    h.run_for(500)
    before = snapshot(h)
    to_server = [i.data for i in h.network.sent if i.dst == SERVER_ADDR]
    to_client = [i.data for i in h.network.sent if i.dst != SERVER_ADDR]
    flipped = bytearray(to_server[-1])
    flipped[12] ^= 0x40
    attacker = ("203.0.113.66", 666)
    now = h.clock.now
    h.server.receive_datagram(bytes(flipped), attacker, now)
    h.server.receive_datagram(bytes(60), attacker, now)
    h.server.receive_datagram(to_client[-1], attacker, now)  # reflected back at its sender
    for old in to_server[:-1]:
        h.server.receive_datagram(old, attacker, now)
    for old in to_client[:-1]:
        h.client.receive_datagram(old, attacker, now)
    assert snapshot(h) == before
    assert h.server.datagrams_rejected == 3
    rejected = [e for e in h.server.events() if isinstance(e, DatagramRejected)]
    assert len(rejected) == 3


def test_authentic_but_malformed_content_is_dropped_without_effect() -> None:
    h = connected()
    before = snapshot(h)
    forger = Session(KEY)
    garbage = forger.seal(1 << 40, b"\x00\x01\x00\x02" + b"\x01" * 3)  # short fragment
    bad_zlib = forger.seal((1 << 40) + 1, b"\x00\x01\x00\x02" + bytes(8) + b"\x80\x00" + b"junk")
    h.server.receive_datagram(garbage, ("203.0.113.66", 666), h.clock.now)
    h.server.receive_datagram(bad_zlib, ("203.0.113.66", 666), h.clock.now)
    assert snapshot(h) == before
    assert h.server.datagrams_rejected == 2


def test_idle_sides_send_one_heartbeat_every_three_seconds() -> None:
    h = connected(conditions=Conditions(min_delay=10, max_delay=10))
    h.run_for(10_000)
    start = h.clock.now
    h.run_for(60_000)
    for side in (SERVER_ADDR, CLIENT_ADDR):
        times = [i.deliver_at for i in h.network.sent if i.src == side and i.deliver_at > start]
        gaps = {b - a for a, b in zip(times, times[1:])}
        assert gaps == {3000}
        assert len(times) == 20


@pytest.mark.parametrize(
    "one_way, interval, rto",
    [(1, 20, 50), (50, 50, None), (1500, 250, 1000)],
)
def test_send_interval_and_rto_follow_srtt_within_bounds(
    one_way: int, interval: int, rto: int | None
) -> None:
    h = connected(conditions=Conditions(min_delay=one_way, max_delay=one_way))
    h.run_for(20_000)
    assert h.client.rtt.srtt == pytest.approx(2 * one_way)
    assert h.client.rtt.send_interval == interval
    expected_rto = rto if rto is not None else h.client.rtt.rto
    assert 50 <= h.client.rtt.rto == expected_rto <= 1000
    start = h.clock.now
    for _ in range(200):
        h.type_keys(b"k")
        h.run_for(3)
    sends = [i.deliver_at for i in h.network.sent if i.src == CLIENT_ADDR and i.deliver_at > start]
    assert min(b - a for a, b in zip(sends, sends[1:])) >= interval


def test_client_initiated_shutdown_handshake() -> None:
    h = connected(conditions=Conditions(min_delay=5, max_delay=5))
    h.client.start_shutdown(h.clock.now)
    assert h.run_until(lambda: h.client.shutdown_acknowledged, 5000)
    h.run_for(100)
    assert ShutdownAcknowledged() in h.events["client"]
    assert PeerShutdownAcknowledged() in h.events["server"]
    assert h.server.remote_state_num == SHUTDOWN_NUM


def test_server_initiated_shutdown_handshake() -> None:
    h = connected(conditions=Conditions(min_delay=5, max_delay=5))
    h.host_output(b"logout\r\n")
    h.server.start_shutdown(h.clock.now)
    assert h.run_until(lambda: h.server.shutdown_acknowledged, 5000)
    h.run_for(100)
    assert PeerShutdownAcknowledged() in h.events["client"]
    assert h.client.remote_state == h.server.local_state


def test_unanswered_shutdown_gives_up_after_16_tries() -> None:
    h = connected(conditions=Conditions(min_delay=5, max_delay=5))
    h.network.up = False
    h.client.start_shutdown(h.clock.now)
    h.run_until(lambda: ShutdownTimedOut() in h.events["client"], 20_000)
    shutdowns = [
        i for i in h.network.sent if i.src != SERVER_ADDR and open_instruction(i.data).new_num == SHUTDOWN_NUM
    ]
    assert len(shutdowns) == 16
    assert not h.client.shutdown_acknowledged


def test_server_follows_a_roaming_client() -> None:
    h = connected(conditions=Conditions(min_delay=5, max_delay=5))
    h.roam(("198.51.100.200", 50000))
    h.type_keys(b"from the train")
    assert h.run_until(h.converged, 5000)
    assert h.server.remote_addr == ("198.51.100.200", 50000)
    assert PeerAddressChanged(("198.51.100.200", 50000)) in h.events["server"]


def test_server_detaches_after_40_seconds_and_reattaches() -> None:
    h = connected(conditions=Conditions(min_delay=5, max_delay=5))
    h.network.up = False
    h.run_for(45_000)
    assert not h.server.has_remote_addr
    assert PeerAddressChanged(None) in h.events["server"]
    assert h.server.next_timeout(h.clock.now) is None
    h.network.up = True
    h.type_keys(b"back")
    assert h.run_until(h.converged, 5000)
    assert h.server.has_remote_addr


def framed(body: bytes, kind: int) -> bytes:
    """Raw bytes, a fragment of raw bytes, or a fragment of zlib-compressed bytes."""
    if kind == 0:
        return body
    contents = zlib.compress(body) if kind == 2 else body
    return b"\x00\x01\x00\x02" + (1).to_bytes(8, "big") + b"\x80\x00" + contents


@settings(max_examples=300, deadline=None)
@given(st.integers(0, (1 << 63) - 1), st.binary(max_size=64), st.integers(0, 2))
def test_no_authentic_payload_can_raise_out_of_receive(seq: int, body: bytes, kind: int) -> None:
    h = Harness()
    datagram = Session(KEY).seal(seq, framed(body, kind))
    h.server.receive_datagram(datagram, CLIENT_ADDR, h.clock.now)
    h.client.receive_datagram(datagram, SERVER_ADDR, h.clock.now)
    assert h.client.datagrams_rejected == 1  # wrong direction for the client


NUMS = st.one_of(st.integers(0, 4), st.just(SHUTDOWN_NUM))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(NUMS, NUMS, NUMS, NUMS, st.binary(max_size=24)), max_size=6))
def test_arbitrary_authentic_instructions_never_raise(fields: list) -> None:
    h = connected()
    for seq, (old, new, ack, throwaway, diff) in enumerate(fields, start=1000):
        inst = Instruction(2, old, new, ack, throwaway, diff, b"")
        body = zlib.compress(encode_instruction(inst))
        payload = b"\x00\x01\x00\x02" + (seq + 7).to_bytes(8, "big") + b"\x80\x00" + body
        h.server.receive_datagram(Session(KEY).seal(seq, payload), CLIENT_ADDR, h.clock.now)
    h.run_for(300)  # and both transports keep running


def test_earliest_deadline_ignores_none() -> None:
    assert earliest() is None and earliest(None, None) is None
    assert earliest(None, 30, 20, None) == 20
