"""Tests for the echo-ack bookkeeping."""

from __future__ import annotations

from moshz.server.echo_ack import ECHO_TIMEOUT, EchoAck


def test_ack_follows_input_after_the_timeout() -> None:
    ack = EchoAck()
    ack.register_input(1, 1000)
    assert not ack.update(1000 + ECHO_TIMEOUT - 1)
    assert ack.value == 0
    assert ack.update(1000 + ECHO_TIMEOUT)
    assert ack.value == 1
    assert not ack.update(5000)


def test_wakeup_is_second_entry_plus_timeout() -> None:
    ack = EchoAck()
    assert ack.next_wakeup() is None
    ack.register_input(3, 100)
    assert ack.next_wakeup() is None
    ack.register_input(4, 130)
    ack.register_input(5, 160)
    assert ack.next_wakeup() == 180
    assert ack.update(180)
    assert ack.value == 4
    assert ack.next_wakeup() == 210
    assert ack.update(210) and ack.value == 5
    assert ack.next_wakeup() is None


def test_acked_entry_stays_so_value_never_drops() -> None:
    ack = EchoAck()
    ack.register_input(2, 0)
    ack.update(100)
    ack.register_input(7, 200)
    assert not ack.update(210)
    assert ack.value == 2
