"""The receiver: apply diffs only to the state they were made from (PROTOCOL.md 7.4)."""

from __future__ import annotations

import pytest

from moshz.errors import ProtocolError
from moshz.ssp.receiver import Receiver
from moshz.statesync.user import UserStream
from moshz.wire.messages import Instruction

T0 = 1_000_000


def inst(old: int, new: int, diff: bytes = b"", throwaway: int = 0) -> Instruction:
    return Instruction(2, old, new, 0, throwaway, diff, b"")


def keys(data: bytes) -> bytes:
    return UserStream().push_keys(data).diff_from(UserStream())


def feed(receiver: Receiver[UserStream], instruction: Instruction, now: int = T0) -> bool | None:
    prepared = receiver.prepare(instruction, now)
    if prepared is None:
        return None
    return receiver.commit(instruction, prepared, now)


def test_a_diff_on_a_held_state_becomes_the_newest() -> None:
    receiver = Receiver(UserStream(), T0)
    assert feed(receiver, inst(0, 1, keys(b"ab")), T0 + 5) is True
    assert receiver.newest.num == 1 and receiver.newest.time == T0 + 5
    assert receiver.newest.state == UserStream().push_keys(b"ab")


def test_duplicates_and_unknown_bases_are_dropped() -> None:
    receiver = Receiver(UserStream(), T0)
    feed(receiver, inst(0, 1, keys(b"a")))
    assert feed(receiver, inst(0, 1, keys(b"a"))) is None
    assert feed(receiver, inst(7, 8, keys(b"b"))) is None
    assert [s.num for s in receiver.states] == [0, 1]


def test_out_of_order_states_are_filed_but_not_newest() -> None:
    receiver = Receiver(UserStream(), T0)
    feed(receiver, inst(0, 3, keys(b"abc")))
    assert feed(receiver, inst(0, 2, keys(b"ab"))) is False
    assert [s.num for s in receiver.states] == [0, 2, 3]
    assert receiver.newest.num == 3


def test_throwaway_discards_older_states() -> None:
    receiver = Receiver(UserStream(), T0)
    feed(receiver, inst(0, 1, keys(b"a")))
    feed(receiver, inst(1, 2, keys(b"b"), throwaway=1))
    assert [s.num for s in receiver.states] == [1, 2]
    assert feed(receiver, inst(0, 3, keys(b"abc"))) is None


def test_states_are_rationalized_against_the_oldest() -> None:
    receiver = Receiver(UserStream(), T0)
    feed(receiver, inst(0, 1, keys(b"ab")))
    feed(receiver, inst(1, 2, keys(b"c"), throwaway=1))
    assert receiver.newest.state.base == 2
    assert receiver.newest.state == UserStream().push_keys(b"abc")


def test_a_malformed_diff_raises_and_changes_nothing() -> None:
    receiver = Receiver(UserStream(), T0)
    with pytest.raises(ProtocolError):
        receiver.prepare(inst(0, 1, b"\x0a\x09\x12"), T0)
    assert [s.num for s in receiver.states] == [0]


def test_more_than_1024_states_are_quenched_for_15_seconds() -> None:
    receiver = Receiver(UserStream(), T0)
    for num in range(1024, 0, -1):  # out of order, so none is thrown away
        feed(receiver, inst(0, num + 10000))
    assert len(receiver.states) == 1025
    feed(receiver, inst(0, 1), T0)  # over the cap: accepted, and the quench starts
    assert len(receiver.states) == 1026
    feed(receiver, inst(0, 2), T0 + 14999)
    assert len(receiver.states) == 1026
    feed(receiver, inst(0, 3), T0 + 15000)
    assert len(receiver.states) == 1027
