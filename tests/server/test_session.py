"""Tests for the server's main-loop logic with real transports and emulator."""

from __future__ import annotations

from moshz.server.session import IdleLimits, parse_idle_seconds
from moshz.ssp.events import ShutdownAcknowledged
from moshz.wire.messages import SHUTDOWN_NUM
from tests.server.rig import CLIENT_ADDR, Rig


def connected_rig(**kwargs: object) -> Rig:
    rig = Rig(**kwargs)  # type: ignore[arg-type]
    rig.connect()
    assert rig.run_until(lambda: rig.session.released)
    rig.step()
    return rig


def test_nothing_happens_before_the_client_speaks() -> None:
    rig = Rig()
    rig.step()
    assert rig.session.transport.datagrams_sent == 0
    assert not rig.session.released and rig.to_pty == b""


def test_first_client_state_releases_the_shell_and_sets_the_size() -> None:
    rig = connected_rig(client_size=(100, 30))
    assert rig.to_pty == b"\n"
    assert rig.session.window_size == (100, 30)
    assert rig.session.client_ip == CLIENT_ADDR[0]
    assert rig.session.emulator.frame().width == 100


def test_output_reaches_the_client_screen() -> None:
    rig = connected_rig()
    rig.app_writes(b"\r\nhello $ ")
    assert rig.run_until(lambda: rig.client_screen()[1] == "hello $", 5000)


def test_keys_are_translated_for_the_application_mode() -> None:
    rig = connected_rig()
    rig.type_keys(b"ls\x1bOA")
    assert rig.run_until(lambda: rig.to_pty.endswith(b"ls\x1b[A"), 5000)
    rig.app_writes(b"\x1b[?1h")
    rig.type_keys(b"\x1bOB")
    assert rig.run_until(lambda: rig.to_pty.endswith(b"\x1bOB"), 5000)


def test_terminal_answers_go_back_to_the_application() -> None:
    rig = connected_rig()
    rig.app_writes(b"\x1b[6n")
    rig.step()
    assert rig.to_pty.endswith(b"\x1b[1;1R")


def test_echo_ack_follows_input() -> None:
    rig = connected_rig()
    rig.type_keys(b"x")
    assert rig.run_until(lambda: rig.session.echo.value > 0, 5000)
    number = rig.session.echo.value
    assert rig.run_until(lambda: rig.client.remote_state.echo_ack == number, 5000)


def test_only_the_last_of_consecutive_resizes_is_applied() -> None:
    rig = connected_rig()
    sizes = []
    rig.resize(90, 20)
    rig.resize(91, 21)
    rig.resize(92, 22)
    while rig.session.window_size != (92, 22):
        rig.step()
        sizes.append(rig.session.window_size)
    assert (90, 20) not in sizes and (91, 21) not in sizes
    assert rig.run_until(lambda: rig.client.remote_state.frame.width == 92, 5000)


def test_application_exit_shuts_down_cleanly() -> None:
    rig = connected_rig()
    rig.app_writes(b"bye")
    rig.session.pty_closed(rig.clock.now)
    assert rig.run_until(lambda: rig.session.finished, 5000)
    assert rig.client.remote_state_num == SHUTDOWN_NUM
    assert rig.client_screen()[0].endswith("bye")


def test_terminate_with_a_client_does_the_handshake() -> None:
    rig = connected_rig()
    rig.session.terminate(rig.clock.now)
    assert not rig.session.finished
    assert rig.run_until(lambda: rig.session.finished, 5000)
    assert rig.session.transport.shutdown_acknowledged


def test_terminate_without_a_client_exits_at_once() -> None:
    rig = Rig()
    rig.session.terminate(rig.clock.now)
    assert rig.session.finished


def test_client_shutdown_is_acknowledged_and_ends_the_session() -> None:
    rig = connected_rig()
    rig.client.start_shutdown(rig.clock.now)
    assert rig.run_until(lambda: rig.session.finished, 5000)
    assert any(isinstance(e, ShutdownAcknowledged) for e in rig.client_events)


def test_no_client_within_60_seconds() -> None:
    rig = Rig()
    start = rig.clock.now
    assert rig.run_until(lambda: rig.session.finished, 70_000)
    assert rig.clock.now - start == 60_000
    assert rig.session.take_messages() == ["No connection within 60 seconds."]


def test_network_idle_timeout() -> None:
    rig = connected_rig(limits=IdleLimits(network=20_000))
    rig.connected = False  # the client goes away
    assert rig.run_until(lambda: rig.session.finished, 60_000)
    assert "Network idle for 20 seconds." in rig.session.take_messages()


def test_sigusr1_respects_the_signal_timeout() -> None:
    rig = connected_rig(limits=IdleLimits(signal=10_000))
    rig.session.user_signal(rig.clock.now)
    assert not rig.session.transport.shutdown_in_progress
    rig.connected = False
    rig.run_until(lambda: False, 11_000)
    rig.session.user_signal(rig.clock.now)
    assert rig.session.transport.shutdown_in_progress


def test_sigusr1_without_timeout_always_shuts_down() -> None:
    rig = connected_rig()
    rig.session.user_signal(rig.clock.now)
    assert rig.session.transport.shutdown_in_progress


def test_utmp_client_ip_is_cleared_after_30_seconds_of_silence() -> None:
    rig = connected_rig()
    rig.connected = False
    rig.run_until(lambda: rig.session.client_ip is None, 40_000)
    assert rig.session.client_ip is None


def test_garbage_datagrams_are_counted_not_fatal() -> None:
    rig = connected_rig()
    for junk in (b"", b"x" * 30, bytes(range(256)) * 4):
        rig.session.transport.receive_datagram(junk, CLIENT_ADDR, rig.clock.now)
    rig.step()
    assert rig.session.rejected == 3
    rig.app_writes(b"still here")
    assert rig.run_until(lambda: "still here" in rig.client_screen()[0], 5000)


def test_parse_idle_seconds() -> None:
    assert parse_idle_seconds("X", None) == (0, "")
    assert parse_idle_seconds("X", "30") == (30_000, "")
    assert parse_idle_seconds("X", "abc") == (0, "X not a valid integer, ignoring")
    assert parse_idle_seconds("X", "-5") == (0, "X is negative, ignoring")


def test_impossible_sizes_from_the_client_are_ignored() -> None:
    rig = connected_rig(client_size=(100, 30))
    for width, height in ((0, 10), (10, 0), (70000, 1), (1 << 20, 1 << 20)):
        rig.resize(width, height)
        rig.type_keys(b"k")
    rig.run_until(lambda: rig.to_pty.count(b"k") == 4, 5000)
    assert rig.session.window_size == (100, 30)
    assert rig.session.emulator.frame().width == 100
