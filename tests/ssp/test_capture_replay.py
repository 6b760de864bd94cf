"""Replay the state changes of a captured real-mosh session; the numbers must match.

``mosh_session_basic.json`` records every datagram of a real mosh 1.4 session
(typing, echo, echo acks, a resize, heartbeats, client-initiated shutdown).
We inject the same local state changes at the same moments into two moshz
transports on a fake clock with a 1 ms network and compare every
instruction's old/new/ack/throwaway numbers and its send time.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from tests.ssp.test_transport import open_instruction
from tests.support.fakes import FakeClock
from tests.support.harness import SERVER_ADDR, Harness
from tests.support.network import Conditions
from tests.vectors import VECTORS

U64MAX = (1 << 64) - 1
BASE = 100_000
SEND_MINDELAY = {"c2s": 1, "s2c": 8}


class Sent(NamedTuple):
    time: int
    direction: str
    old: int
    new: int
    ack: int
    throwaway: int


def captured() -> list[tuple[Sent, int]]:
    """Each captured instruction with the length of its diff."""
    session = json.loads((VECTORS / "mosh_session_basic.json").read_text())
    result = []
    for datagram in session["datagrams"]:
        inst = datagram["decoded"].get("instruction")
        if inst is None:
            continue
        sent = Sent(
            BASE + round(datagram["t"] * 1000),
            datagram["dir"],
            inst["old_num"],
            inst["new_num"],
            inst["ack_num"],
            inst["throwaway_num"],
        )
        result.append((sent, len(inst["diff"]) // 2))
    return result


def state_changes(instructions: list[tuple[Sent, int]]) -> list[tuple[int, str, int]]:
    """(time, side, size) of each new non-empty state, back-dated by SEND_MINDELAY."""
    newest = {"c2s": 0, "s2c": 0}
    changes = []
    for sent, diff_len in instructions[1:]:
        if diff_len and newest[sent.direction] < sent.new != U64MAX:
            changes.append((sent.time - SEND_MINDELAY[sent.direction], sent.direction, diff_len))
        if sent.new != U64MAX:
            newest[sent.direction] = max(newest[sent.direction], sent.new)
    return changes


def replay(instructions: list[tuple[Sent, int]]) -> list[Sent]:
    first, shutdown = instructions[0][0], instructions[-2][0]
    h = Harness(0, Conditions(min_delay=1, max_delay=1), clock=FakeClock(first.time))
    for at, side, size in state_changes(instructions):
        h.run_for(at - h.clock.now)
        if side == "c2s":
            h.type_keys(b"k")
        else:
            h.host_output(b"o" * size)  # same size, so the same prospective-resend choices
    h.run_for(shutdown.time - h.clock.now)
    h.client.start_shutdown(h.clock.now)
    assert h.run_until(lambda: h.client.shutdown_acknowledged, 1000)
    result = []
    for item in h.network.sent:
        inst = open_instruction(item.data)
        side = "s2c" if item.src == SERVER_ADDR else "c2s"
        nums = (inst.old_num, inst.new_num, inst.ack_num, inst.throwaway_num)
        result.append(Sent(item.deliver_at, side, *nums))
    return result


def test_instruction_numbers_match_the_real_mosh_session() -> None:
    instructions = captured()
    expected = [sent for sent, _ in instructions]
    ours = replay(instructions)
    assert [s[1:] for s in ours] == [s[1:] for s in expected]
    assert max(abs(a.time - b.time) for a, b in zip(ours, expected)) <= 5
