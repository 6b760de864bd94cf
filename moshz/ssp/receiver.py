"""The receiving half of SSP: numbered copies of the peer's state (PROTOCOL.md 7.4).

A diff is applied only to the exact state it was computed from, so duplicates,
replays and diffs against thrown-away states fall out naturally. ``prepare``
does all the work that can fail and changes nothing; ``commit`` then files the
new state.
"""

from __future__ import annotations

from typing import Generic

from moshz.ssp.state import S
from moshz.wire.messages import Instruction

RECEIVED_STATES_MAX = 1024
QUENCH_INTERVAL = 15000


class ReceivedState(Generic[S]):
    """A numbered remote state and when it arrived."""

    __slots__ = ("num", "state", "time")

    def __init__(self, num: int, time: int, state: S) -> None:
        self.num = num
        self.time = time
        self.state = state


class Receiver(Generic[S]):
    """The list of remote states we hold, oldest first; the last is the newest."""

    def __init__(self, state: S, now: int) -> None:
        self.states: list[ReceivedState[S]] = [ReceivedState(0, now, state)]
        self._quench_until = 0

    @property
    def newest(self) -> ReceivedState[S]:
        """The newest remote state received in order."""
        return self.states[-1]

    def prepare(self, instruction: Instruction, now: int) -> ReceivedState[S] | None:
        """The state an instruction creates, or None if it is a duplicate or its base is unknown.

        Raises ProtocolError for a malformed diff; changes nothing.
        """
        reference = None
        for held in self.states:
            if held.num == instruction.new_num:
                return None
            if held.num == instruction.old_num:
                reference = held
        if reference is None:
            return None
        state = reference.state.apply(instruction.diff) if instruction.diff else reference.state
        return ReceivedState(instruction.new_num, now, state)

    def commit(self, instruction: Instruction, new: ReceivedState[S], now: int) -> bool:
        """File a prepared state; True if it is now the newest (so it must be acknowledged)."""
        kept = [held for held in self.states if held.num >= instruction.throwaway_num]
        self.states = kept
        if len(kept) > RECEIVED_STATES_MAX:
            if now < self._quench_until:
                return False
            self._quench_until = now + QUENCH_INTERVAL
        if kept and kept[-1].num > new.num:
            self._insert_older(new)
            return False
        kept.append(new)
        self._rationalize()
        return True

    def _insert_older(self, new: ReceivedState[S]) -> None:
        for index, held in enumerate(self.states):
            if held.num > new.num:
                self.states.insert(index, new)
                return

    def _rationalize(self) -> None:
        """Drop from every state what the oldest one holds (a no-op for the terminal)."""
        oldest = self.states[0].state
        for held in self.states:
            held.state = held.state.subtract(oldest)
