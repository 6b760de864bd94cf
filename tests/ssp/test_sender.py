"""The sender's timing and numbering rules (PROTOCOL.md 7.3, 7.5), at the Instruction level."""

from __future__ import annotations

from moshz.ssp.rtt import RttEstimator
from moshz.ssp.sender import NEVER, Sender
from moshz.statesync.user import UserStream
from moshz.wire.messages import SHUTDOWN_NUM, Instruction
from tests.support.fakes import seeded_rand

T0 = 1_000_000


def make(mindelay: int = 1, srtt: int | None = None) -> tuple[Sender[UserStream], RttEstimator]:
    rtt = RttEstimator()
    if srtt is not None:
        rtt.sample(srtt)
    return Sender(UserStream(), rtt, T0, seeded_rand(7), mindelay), rtt


def publish(sender: Sender[UserStream], keys: bytes, now: int) -> None:
    """What Transport.set_local_state does: new state, timers recalculated."""
    sender.set_current(sender.current.push_keys(keys))
    sender.calculate_timers(now)


def numbers(inst: Instruction | None) -> tuple[int, int, int, int]:
    assert inst is not None
    return inst.old_num, inst.new_num, inst.ack_num, inst.throwaway_num


def test_first_state_goes_out_at_once_as_old_0_new_1() -> None:
    sender, _ = make()
    sender.set_current(sender.current.push_resize(80, 24))
    inst = sender.tick(T0)
    assert numbers(inst) == (0, 1, 0, 0)
    assert inst is not None and inst.diff == bytes.fromhex("0a061a0428503018")
    assert inst.protocol_version == 2


def test_new_input_waits_for_mindelay_and_the_send_interval() -> None:
    sender, _ = make(mindelay=8, srtt=100)  # send interval 50
    publish(sender, b"a", T0)
    assert sender.tick(T0) is not None
    publish(sender, b"b", T0 + 10)
    assert sender.next_send_time == T0 + 50  # paced by the send interval
    assert sender.tick(T0 + 49) is None
    assert numbers(sender.tick(T0 + 50)) == (0, 2, 0, 0)  # resent from the acked state
    publish(sender, b"c", T0 + 200)
    assert sender.next_send_time == T0 + 208  # mindelay lets a burst settle
    publish(sender, b"d", T0 + 205)
    assert sender.tick(T0 + 207) is None
    assert numbers(sender.tick(T0 + 208)) == (0, 3, 0, 0)


def test_idle_sender_heartbeats_every_three_seconds_with_fresh_numbers() -> None:
    sender, _ = make()
    assert numbers(sender.tick(T0)) == (0, 1, 0, 0)  # next_ack_time starts at "now"
    assert sender.tick(T0 + 2999) is None
    heartbeat = sender.tick(T0 + 3000)
    assert numbers(heartbeat) == (0, 2, 0, 0)
    assert heartbeat is not None and heartbeat.diff == b""
    assert sender.deadline() == T0 + 6000


def test_empty_ack_leaves_the_assumed_state_alone() -> None:
    sender, _ = make(srtt=100)
    publish(sender, b"x", T0)
    assert numbers(sender.tick(T0)) == (0, 1, 0, 0)
    sender.process_ack(1)
    sender.ack_num = 5
    sender.pending_data_ack = True
    sender.calculate_timers(T0 + 100)
    assert sender.tick(T0 + 199) is None
    ack = sender.tick(T0 + 200)
    assert numbers(ack) == (1, 2, 5, 1)  # old = assumed 1; the empty ack took number 2
    assert ack is not None and ack.diff == b""


def test_unacknowledged_echo_rides_along_with_the_next_ack() -> None:
    sender, _ = make(srtt=100)
    publish(sender, b"x", T0)
    sender.tick(T0)
    sender.pending_data_ack = True
    sender.calculate_timers(T0 + 100)
    inst = sender.tick(T0 + 200)
    assert numbers(inst) == (0, 1, 0, 0)  # re-based on the acked state (mosh's capture)
    assert inst is not None and inst.diff.endswith(b"x")


def test_received_data_is_acknowledged_within_ack_delay() -> None:
    sender, _ = make()
    sender.tick(T0)
    sender.pending_data_ack = True
    sender.ack_num = 1
    sender.calculate_timers(T0 + 500)
    assert sender.next_ack_time == T0 + 600


def test_unacknowledged_data_is_retransmitted_after_rto_plus_ack_delay() -> None:
    sender, rtt = make(srtt=100)  # rto 300
    sender.last_heard = T0
    publish(sender, b"x", T0)
    sender.tick(T0)
    sender.calculate_timers(T0 + 1)
    assert sender.next_send_time == T0 + rtt.rto + 100
    resend = sender.tick(T0 + 400)
    assert numbers(resend) == (0, 1, 0, 0)  # same state number, diffed from the acked state
    assert resend is not None and resend.diff.endswith(b"x")


def test_lagging_assumed_state_is_resent_at_the_frame_rate() -> None:
    sender, rtt = make(srtt=100)
    sender.last_heard = T0
    publish(sender, b"x", T0)
    sender.tick(T0)
    publish(sender, b"y", T0 + 50)
    inst = sender.tick(T0 + 51)
    assert numbers(inst) == (0, 2, 0, 0)  # prospective resend from the acked state
    sender.calculate_timers(T0 + 500)  # state 2 is now older than RTO + ACK_DELAY
    assert sender.next_send_time == T0 + 51 + rtt.send_interval


def test_no_retransmission_without_hearing_from_the_peer() -> None:
    sender, _ = make(srtt=100)
    publish(sender, b"x", T0)
    sender.tick(T0)
    sender.calculate_timers(T0 + 1)
    assert sender.next_send_time == NEVER


def test_acknowledgement_drops_older_sent_states_and_becomes_throwaway() -> None:
    sender, _ = make(srtt=20)
    for i, key in enumerate(b"abc"):
        publish(sender, bytes([key]), T0 + 100 * i)
        sender.tick(T0 + 100 * i + 1)
    sender.process_ack(2)
    assert [s.num for s in sender.sent] == [2, 3]
    sender.process_ack(99)
    assert [s.num for s in sender.sent] == [2, 3]
    publish(sender, b"d", T0 + 1000)
    assert numbers(sender.tick(T0 + 1001)) == (2, 4, 0, 2)
    assert sender.current.base == 2  # rationalized: the acked prefix is gone


def test_sent_list_keeps_its_17_oldest_and_15_newest_entries() -> None:
    sender, _ = make(srtt=20)
    for i in range(40):
        publish(sender, b"k", T0 + 100 * i)
        sender.tick(T0 + 100 * i + 1)
    nums = [s.num for s in sender.sent]
    assert len(nums) == 32
    assert nums == list(range(17)) + list(range(26, 41))


def test_retransmitting_an_unchanged_state_keeps_its_number() -> None:
    sender, _ = make(srtt=20)
    sender.last_heard = T0
    publish(sender, b"x", T0)
    sender.tick(T0)
    sender.tick(T0 + 3000)
    assert [s.num for s in sender.sent] == [0, 1]
    assert sender.sent[-1].time == T0 + 3000


def test_chaff_length_comes_from_rand_modulo_17() -> None:
    draws = iter([bytes([33]), b"\xaa" * 16])
    sender = Sender(UserStream(), RttEstimator(), T0, lambda n: next(draws), 1)
    inst = sender.tick(T0)
    assert inst is not None and inst.chaff == b"\xaa" * 16


def test_shutdown_sends_u64max_every_send_interval_and_gives_up() -> None:
    sender, rtt = make(srtt=100)
    sender.tick(T0)
    sender.start_shutdown(T0 + 10)
    first = sender.tick(T0 + 50)
    assert numbers(first) == (0, SHUTDOWN_NUM, 0, 0)
    sender.calculate_timers(T0 + 51)
    assert sender.next_ack_time == T0 + 50 + rtt.send_interval
    for i in range(15):
        assert not sender.shutdown_timed_out(T0 + 100 + 50 * i)
        assert sender.tick(T0 + 100 + 50 * i) is not None
    assert sender.shutdown_tries == 16
    assert sender.shutdown_timed_out(T0 + 900)


def test_shutdown_gives_up_after_ten_seconds() -> None:
    sender, _ = make()
    sender.start_shutdown(T0)
    assert not sender.shutdown_timed_out(T0 + 9999)
    assert sender.shutdown_timed_out(T0 + 10000)


def test_shutdown_is_acknowledged_by_ack_u64max() -> None:
    sender, _ = make()
    sender.start_shutdown(T0)
    assert sender.tick(T0 + 249) is None
    assert numbers(sender.tick(T0 + 250)) == (0, SHUTDOWN_NUM, 0, 0)
    assert not sender.shutdown_acknowledged
    sender.process_ack(SHUTDOWN_NUM)
    assert sender.shutdown_acknowledged


def test_peer_shutdown_is_acknowledged_promptly() -> None:
    sender, rtt = make(srtt=100)
    sender.tick(T0)
    sender.ack_num = SHUTDOWN_NUM
    inst = sender.tick(T0 + rtt.send_interval)
    assert inst is not None and inst.ack_num == SHUTDOWN_NUM
    assert sender.peer_shutdown_ack_sent


def test_local_state_is_frozen_during_shutdown() -> None:
    sender, _ = make()
    sender.start_shutdown(T0)
    sender.set_current(sender.current)
    try:
        sender.set_current(sender.current.push_keys(b"late"))
    except RuntimeError:
        return
    raise AssertionError("a state change during shutdown was accepted")
