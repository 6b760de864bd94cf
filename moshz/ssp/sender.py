"""The sending half of SSP: which diff to send, when, and with which numbers.

PROTOCOL.md 7.2, 7.3 and 7.5, including mosh's exact timer rules. The sender
never retransmits an old diff: it always diffs the newest local state against
the state it believes the peer holds, and numbers states so the peer can
acknowledge them.
"""

from __future__ import annotations

from typing import Callable, Generic

from moshz.ssp.rtt import RttEstimator
from moshz.ssp.state import S
from moshz.wire.messages import PROTOCOL_VERSION, SHUTDOWN_NUM, Instruction

ACK_INTERVAL = 3000
ACK_DELAY = 100
ACTIVE_RETRY_TIMEOUT = 10000
SHUTDOWN_RETRIES = 16
SENT_STATES_MAX = 32
SENT_STATES_KEEP_NEWEST = 16
CHAFF_MAX = 16
SERVER_MINDELAY = 8
CLIENT_MINDELAY = 1
NEVER = 1 << 64  # later than any deadline

Rand = Callable[[int], bytes]


class SentState(Generic[S]):
    """A numbered local state and when it was (last) sent."""

    __slots__ = ("num", "state", "time")

    def __init__(self, time: int, num: int, state: S) -> None:
        self.time = time
        self.num = num
        self.state = state


class Sender(Generic[S]):
    """Decides what to send; produces Instructions, never datagrams."""

    def __init__(self, state: S, rtt: RttEstimator, now: int, rand: Rand, mindelay: int) -> None:
        self.current = state
        self.sent: list[SentState[S]] = [SentState(now, 0, state)]
        self._assumed = self.sent[0]
        self._rtt = rtt
        self._rand = rand
        self.send_mindelay = mindelay
        self.next_ack_time = now
        self.next_send_time = now
        self._mindelay_clock: int | None = None
        self._rationalized: tuple[S, S] | None = None  # (known prefix, current) last time
        self.pending_data_ack = False
        self.ack_num = 0
        self.last_heard: int | None = None
        self.last_ack_sent: int | None = None
        self.shutdown_in_progress = False
        self._shutdown_start = 0
        self.shutdown_tries = 0

    # -- state and shutdown -------------------------------------------------

    def set_current(self, state: S) -> None:
        """Publish a new local state (not allowed once shutdown has begun)."""
        if self.shutdown_in_progress and state != self.current:
            raise RuntimeError("the local state is frozen once shutdown has started")
        self.current = state

    def start_shutdown(self, now: int) -> None:
        """Begin the shutdown handshake: from now on every instruction has new_num U64MAX."""
        if not self.shutdown_in_progress:
            self.shutdown_in_progress = True
            self._shutdown_start = now

    @property
    def shutdown_acknowledged(self) -> bool:
        """The peer acknowledged our shutdown state."""
        return self.sent[0].num == SHUTDOWN_NUM

    def shutdown_timed_out(self, now: int) -> bool:
        """Our shutdown has been tried 16 times or for 10 s: give up."""
        if not self.shutdown_in_progress:
            return False
        return (
            self.shutdown_tries >= SHUTDOWN_RETRIES
            or now - self._shutdown_start >= ACTIVE_RETRY_TIMEOUT
        )

    @property
    def peer_shutdown_ack_sent(self) -> bool:
        """We have sent an instruction acknowledging the peer's shutdown request."""
        return self.last_ack_sent == SHUTDOWN_NUM

    # -- acknowledgements ---------------------------------------------------

    def process_ack(self, ack_num: int) -> None:
        """The peer holds state ``ack_num``: forget older sent states (unknown numbers are ignored)."""
        if any(sent.num == ack_num for sent in self.sent):
            self.sent = [sent for sent in self.sent if sent.num >= ack_num]

    @property
    def acked_time(self) -> int:
        """When the newest acknowledged state was sent (the client's round-trip success)."""
        return self.sent[0].time

    # -- timers -------------------------------------------------------------

    def calculate_timers(self, now: int) -> None:
        """mosh's calculate_timers: assumed state, rationalize, ack and send deadlines."""
        self._update_assumed(now)
        self._rationalize()
        if self.pending_data_ack and self.next_ack_time > now + ACK_DELAY:
            self.next_ack_time = now + ACK_DELAY
        self.next_send_time = self._send_deadline(now)
        if self.shutdown_in_progress or self.ack_num == SHUTDOWN_NUM:
            self.next_ack_time = self.sent[-1].time + self._rtt.send_interval

    def _send_deadline(self, now: int) -> int:
        last = self.sent[-1]
        paced = last.time + self._rtt.send_interval
        if _differ(self.current, last.state):
            if self._mindelay_clock is None:
                self._mindelay_clock = now
            return max(self._mindelay_clock + self.send_mindelay, paced)
        heard = self.last_heard is not None and self.last_heard + ACTIVE_RETRY_TIMEOUT > now
        if heard and _differ(self.current, self._assumed.state):
            if self._mindelay_clock is None:
                return paced
            return max(paced, self._mindelay_clock + self.send_mindelay)
        if heard and _differ(self.current, self.sent[0].state):
            return last.time + self._rtt.rto + ACK_DELAY
        return NEVER

    def _update_assumed(self, now: int) -> None:
        """Trust unacknowledged states sent less than RTO + ACK_DELAY ago."""
        self._assumed = self.sent[0]
        for sent in self.sent[1:]:
            if now - sent.time >= self._rtt.rto + ACK_DELAY:
                return
            self._assumed = sent

    def _rationalize(self) -> None:
        """Drop the acknowledged prefix from every state (subtracting it again changes nothing,
        so only a new prefix or a new current state needs the work)."""
        known = self.sent[0].state
        done = self._rationalized
        if done is None or done[0] is not known:
            for sent in self.sent:
                sent.state = sent.state.subtract(known)
            known = self.sent[0].state
        elif done[1] is self.current:
            return
        self.current = self.current.subtract(known)
        self._rationalized = (known, self.current)

    def deadline(self) -> int:
        """The earliest of the ack and send deadlines (valid after calculate_timers)."""
        return min(self.next_ack_time, self.next_send_time)

    # -- sending ------------------------------------------------------------

    def tick(self, now: int) -> Instruction | None:
        """The instruction to send now, if any (the caller checks there is a peer)."""
        self.calculate_timers(now)
        if now < self.next_ack_time and now < self.next_send_time:
            return None
        assumed = self._assumed.state
        diff = self.current.diff_from(assumed) if _differ(self.current, assumed) else b""
        diff = self._prospective_resend(diff)
        if diff:
            if now >= self.next_send_time or now >= self.next_ack_time:
                self._mindelay_clock = None
                return self._send_diff(diff, now)
            return None
        instruction = None
        if now >= self.next_ack_time:
            instruction = self._send_empty_ack(now)
            self._mindelay_clock = None
        if now >= self.next_send_time:
            self.next_send_time = NEVER
            self._mindelay_clock = None
        return instruction

    def _prospective_resend(self, diff: bytes) -> bytes:
        """Diff against the acknowledged state instead, when that costs little or nothing."""
        acked = self.sent[0]
        if self._assumed is acked:
            return diff
        resend = self.current.diff_from(acked.state)
        if len(resend) <= len(diff) or (len(resend) < 1000 and len(resend) - len(diff) < 100):
            self._assumed = acked
            return resend
        return diff

    def _send_diff(self, diff: bytes, now: int) -> Instruction:
        last = self.sent[-1]
        new_num = last.num + 1 if _differ(self.current, last.state) else last.num
        if self.shutdown_in_progress:
            new_num = SHUTDOWN_NUM
        if new_num == last.num:
            last.time = now
        else:
            self._add_sent(now, new_num)
        instruction = self._instruction(diff, new_num)
        self._assumed = self.sent[-1]
        self.next_ack_time = now + ACK_INTERVAL
        self.next_send_time = NEVER
        return instruction

    def _send_empty_ack(self, now: int) -> Instruction:
        """An ack consumes a new state number; the assumed state stays where it was."""
        new_num = SHUTDOWN_NUM if self.shutdown_in_progress else self.sent[-1].num + 1
        self._add_sent(now, new_num)
        instruction = self._instruction(b"", new_num)
        self.next_ack_time = now + ACK_INTERVAL
        self.next_send_time = NEVER
        return instruction

    def _add_sent(self, now: int, num: int) -> None:
        self.sent.append(SentState(now, num, self.current))
        if len(self.sent) > SENT_STATES_MAX:
            del self.sent[len(self.sent) - SENT_STATES_KEEP_NEWEST]

    def _instruction(self, diff: bytes, new_num: int) -> Instruction:
        if new_num == SHUTDOWN_NUM:
            self.shutdown_tries += 1
        self.pending_data_ack = False
        self.last_ack_sent = self.ack_num
        return Instruction(
            PROTOCOL_VERSION,
            self._assumed.num,
            new_num,
            self.ack_num,
            self.sent[0].num,
            diff,
            self._chaff(),
        )

    def _chaff(self) -> bytes:
        length = self._rand(1)[0] % (CHAFF_MAX + 1)
        return self._rand(length) if length else b""


def _differ(a: S, b: S) -> bool:
    """``a != b``, answered at once for the same object (an idle sender compares often)."""
    return a is not b and a != b
