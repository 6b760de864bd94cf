"""The receive path under attack: real mosh traffic, then forged, mangled and replayed datagrams.

Each example picks a recorded real-mosh session and a receiving side (a moshz client fed
what mosh-server sent, or a moshz server fed what mosh-client sent), delivers the genuine
datagrams up to an instruction boundary, then a burst of hostile ones: bit flips, cuts,
padding, random bytes, other keys, datagrams reflected from the other direction and replays
of earlier genuine ones, from the attacker's address or the peer's. Nothing may raise;
nothing observable may change (remote state and its number, RTT, peer address, last contact,
acknowledgements, timers); and the rest of the genuine session then lands exactly as it
would have without the attack.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, NamedTuple, Tuple

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.crypto.session import Session
from moshz.ssp.events import DatagramRejected
from moshz.ssp.transport import Transport
from moshz.statesync.terminal import TerminalState
from moshz.statesync.user import UserStream
from moshz.term.emulator import Emulator
from tests.fuzz.captures import BASE_TIME, SERVER_ADDR, Arrival, Capture, captures
from tests.support.fakes import seeded_rand
from tests.support.harness import server_transport

ATTACKER = ("203.0.113.66", 4242)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

Attack = Tuple[bytes, bool]  # the datagram, and whether it is a replay (authentic, not rejected)


class Side(NamedTuple):
    """One receiving end: how to build it, what it receives, what the other end receives."""

    make: Callable[[bytes], Transport]
    arrivals: tuple[Arrival, ...]
    reflected: tuple[Arrival, ...]


def make_client(key: bytes) -> Transport:
    """A moshz client transport as the client starts it: 80x24, its resize queued."""
    return Transport(
        Session(key),
        is_server=False,
        local=UserStream().push_resize(80, 24),
        remote=TerminalState(Emulator(80, 24).frame()),
        now=BASE_TIME,
        rand=seeded_rand(1),
        server_addr=SERVER_ADDR,
    )


def make_server(key: bytes) -> Transport:
    """A moshz server transport before any client spoke."""
    return server_transport(Emulator(80, 24).frame(), BASE_TIME, seeded_rand(2), key)


def sides(capture: Capture) -> tuple[Side, Side]:
    """The client and the server end of a recorded session."""
    return (
        Side(make_client, capture.to_client, capture.to_server),
        Side(make_server, capture.to_server, capture.to_client),
    )


def canonical(state: Any) -> Any:
    """A state comparable across runs (terminal rows carry process-wide generation numbers)."""
    if isinstance(state, TerminalState):
        frame = state.frame
        rows = tuple(row._replace(gen=0) for row in frame.rows)
        return (frame.with_changes(rows=rows), state.echo_ack)
    return state


def snapshot(transport: Transport, now: int) -> tuple[Any, ...]:
    """Everything a datagram could change that the owner of a transport can see."""
    rtt = transport.rtt
    return (
        canonical(transport.remote_state),
        transport.remote_state_num,
        transport.remote_state_time,
        (rtt.srtt, rtt.rttvar, rtt.has_sample, rtt.rto, rtt.send_interval),
        transport.remote_addr,
        transport.has_remote_addr,
        transport.last_heard,
        transport.acked_state_num,
        transport.last_sent_state_num,
        transport.next_seq,
        transport.next_timeout(now),
    )


def feed(transport: Transport, arrivals: tuple[Arrival, ...]) -> None:
    """Deliver genuine datagrams at their captured times."""
    for arrival in arrivals:
        transport.receive_datagram(arrival.data, arrival.addr, arrival.now)


def drain(transport: Transport) -> list[Any]:
    """Every event the transport has queued (tests/robustness imports this too)."""
    return list(transport.events())


@functools.lru_cache(maxsize=None)
def clean_outcome(capture_index: int, side_index: int) -> tuple[Any, ...]:
    """The snapshot after the whole genuine session, unattacked."""
    side = sides(captures()[capture_index])[side_index]
    transport = side.make(captures()[capture_index].key)
    feed(transport, side.arrivals)
    return snapshot(transport, side.arrivals[-1].now)


def boundaries(arrivals: tuple[Arrival, ...]) -> list[int]:
    """Split points where no instruction is half reassembled."""
    return [0] + [i + 1 for i, arrival in enumerate(arrivals) if arrival.final]


# --- hostile datagrams --------------------------------------------------------------------


def flipped(data: bytes, position: int, bit: int) -> bytes:
    """One bit of the datagram inverted."""
    out = bytearray(data)
    out[position % len(out)] ^= 1 << bit
    return bytes(out)


def resealed(key: bytes, data: bytes, other_key: bytes, seq_bump: int) -> bytes:
    """A genuine plaintext sealed under another key, with a nonce at or after the original."""
    nonce, plaintext = Session(key).open(data)
    return Session(other_key).seal(nonce + seq_bump, plaintext)


@st.composite
def hostile(
    draw: Any, key: bytes, genuine: tuple[Arrival, ...], reflected: tuple[Arrival, ...]
) -> Attack:
    """One hostile datagram built from the session's own traffic or from nothing."""
    pool = [a.data for a in genuine] or [a.data for a in reflected]
    base = draw(st.sampled_from(pool))
    kind = draw(st.sampled_from(["flip", "cut", "pad", "random", "forged", "reflect", "replay"]))
    if kind == "replay" and genuine:
        return draw(st.sampled_from(genuine)).data, True
    if kind == "flip":
        return flipped(base, draw(st.integers(0, 4095)), draw(st.integers(0, 7))), False
    if kind == "cut":
        return base[: draw(st.integers(0, len(base) - 1))], False
    if kind == "pad":
        return base + draw(st.binary(min_size=1, max_size=2100)), False
    if kind == "forged":
        other = draw(st.binary(min_size=16, max_size=16).filter(lambda k: k != key))
        return resealed(key, base, other, draw(st.integers(0, 1 << 20))), False
    if kind == "reflect" and reflected:
        return draw(st.sampled_from(reflected)).data, False
    return draw(st.binary(max_size=2100)), False


class Scenario(NamedTuple):
    """A recorded session, a receiving side, where to attack, and the attack."""

    capture_index: int
    side_index: int
    split: int
    attacks: list[tuple[Attack, bool]]  # each hostile datagram, and whether from the peer's address


@st.composite
def scenarios(draw: Any) -> Scenario:
    """Pick a session, a side, a split point, then the hostile datagrams."""
    capture_index = draw(st.integers(0, len(captures()) - 1))
    capture = captures()[capture_index]
    side_index = draw(st.integers(0, 1))
    side = sides(capture)[side_index]
    split = draw(st.sampled_from(boundaries(side.arrivals)))
    attack = hostile(capture.key, side.arrivals[:split], side.reflected)
    attacks = draw(st.lists(st.tuples(attack, st.booleans()), min_size=1, max_size=12))
    return Scenario(capture_index, side_index, split, attacks)


@SETTINGS
@given(scenarios())
def test_hostile_datagrams_change_nothing_and_the_session_lands_the_same(
    scenario: Scenario,
) -> None:
    capture = captures()[scenario.capture_index]
    side = sides(capture)[scenario.side_index]
    transport = side.make(capture.key)
    done, rest = side.arrivals[: scenario.split], side.arrivals[scenario.split :]
    feed(transport, done)
    drain(transport)
    now = done[-1].now if done else BASE_TIME
    before = snapshot(transport, now)
    rejected = transport.datagrams_rejected
    for (data, _replay), from_peer in scenario.attacks:
        addr = done[-1].addr if from_peer and done else ATTACKER
        transport.receive_datagram(data, addr, now)
    assert snapshot(transport, now) == before
    hostile_count = sum(1 for (_, replay), _ in scenario.attacks if not replay)
    assert transport.datagrams_rejected == rejected + hostile_count
    events = drain(transport)
    assert all(isinstance(event, DatagramRejected) for event in events)
    assert len(events) == hostile_count
    feed(transport, rest)
    assert snapshot(transport, side.arrivals[-1].now) == clean_outcome(
        scenario.capture_index, scenario.side_index
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.binary(max_size=2100), min_size=1, max_size=30), st.integers(0, 1))
def test_garbage_before_any_genuine_datagram_changes_nothing(
    garbage: list[bytes], side_index: int
) -> None:
    capture = captures()[0]
    side = sides(capture)[side_index]
    transport = side.make(capture.key)
    before = snapshot(transport, BASE_TIME)
    for data in garbage:
        transport.receive_datagram(data, ATTACKER, BASE_TIME)
    assert snapshot(transport, BASE_TIME) == before
    assert transport.datagrams_rejected == len(garbage)
