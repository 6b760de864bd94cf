"""TerminalState: mosh's ``Complete`` state, its diffs and their application."""

from __future__ import annotations

import json

import pytest

from moshz.errors import ProtocolError
from moshz.statesync.terminal import TerminalState
from moshz.term.emulator import Emulator
from moshz.term.frame import Frame
from moshz.wire.messages import (
    EchoAck,
    HostBytes,
    Resize,
    decode_host_message,
    encode_host_message,
)
from tests.vectors import VECTORS


def screen(data: bytes, width: int = 20, height: int = 5, start: Frame | None = None) -> Frame:
    emulator = Emulator(width, height) if start is None else Emulator.from_frame(start)
    emulator.feed(data)
    return emulator.frame()


def same_screen(a: TerminalState, b: TerminalState) -> bool:
    """Equal apart from row generations (a client's rows are its own)."""
    rows_match = all(x.same_content(y) for x, y in zip(a.frame.rows, b.frame.rows))
    return rows_match and a == TerminalState(b.frame.with_changes(rows=a.frame.rows), b.echo_ack)


def test_equal_states_have_an_empty_diff() -> None:
    state = TerminalState(screen(b"$ "), 3)
    assert state.diff_from(state) == b""
    assert state.diff_from(TerminalState(state.frame, 3)) == b""


def test_echo_ack_alone_is_mosh_bytes() -> None:
    frame = screen(b"")
    assert TerminalState(frame, 1).diff_from(TerminalState(frame)) == bytes.fromhex("0a043a024001")


def test_diff_carries_echo_ack_then_resize_then_hostbytes() -> None:
    old = TerminalState(screen(b"$ "), 1)
    emulator = Emulator.from_frame(old.frame)
    emulator.resize(30, 6)
    emulator.feed(b"hi")
    new = TerminalState(emulator.frame(), 2)
    events = decode_host_message(new.diff_from(old))
    assert [type(event) for event in events] == [EchoAck, Resize, HostBytes]
    assert events[:2] == [EchoAck(2), Resize(30, 6)]
    assert same_screen(old.apply(new.diff_from(old)), new)


def test_apply_round_trips_screen_updates() -> None:
    first = TerminalState(screen(b"\x1b]0;title\x07$ \x1b[1;31mls\x1b[0m\r\n"))
    steps = [b"a\xcc\x81 \xe6\x97\xa5\r\n" * 6, b"\x1b[2J\x1b[H\x1b[?2004h$ ", b"\x07\x1b[?1002h"]
    state = first
    for number, data in enumerate(steps, 1):
        new = TerminalState(screen(data, start=state.frame), number)
        applied = state.apply(new.diff_from(state))
        assert same_screen(applied, new)
        state = new


def test_echo_ack_never_decreases() -> None:
    state = TerminalState(screen(b""), 5)
    assert state.apply(encode_host_message([EchoAck(3)])).echo_ack == 5
    assert state.apply(encode_host_message([EchoAck(9)])).echo_ack == 9


def test_apply_resizes_and_feeds_in_order() -> None:
    state = TerminalState(screen(b"abc"))
    diff = encode_host_message([Resize(2, 2), HostBytes(b"\x1b[2;1Hz")])
    applied = state.apply(diff)
    assert (applied.frame.width, applied.frame.height) == (2, 2)
    assert list(applied.frame.lines()) == ["ab", "z "]


def test_empty_diff_keeps_the_state() -> None:
    state = TerminalState(screen(b"abc"), 2)
    assert state.apply(b"") == state


@pytest.mark.parametrize(
    "diff",
    [
        b"\x0a\x05\x12\x03\x22\x01",  # truncated hostbytes
        b"\xff",
        encode_host_message([Resize(0, 24)]),
        encode_host_message([Resize(-80, 24)]),
        encode_host_message([Resize(100000, 100000)]),
    ],
)
def test_bad_diffs_raise_protocol_error(diff: bytes) -> None:
    with pytest.raises(ProtocolError):
        TerminalState(screen(b"")).apply(diff)


def test_subtract_is_a_no_op() -> None:
    state = TerminalState(screen(b"x"))
    assert state.subtract(TerminalState(screen(b""))) is state


def test_equality_needs_the_same_frame_and_echo_ack() -> None:
    frame = screen(b"x")
    assert TerminalState(frame, 1) == TerminalState(frame, 1)
    assert TerminalState(frame, 1) != TerminalState(frame, 2)
    assert TerminalState(frame, 1) != TerminalState(screen(b"y"), 1)
    assert TerminalState(frame) != object()


@pytest.mark.parametrize(
    "name",
    [
        "mosh_session_basic.json",
        "mosh_session_clear.json",
        "mosh_session_fragments_roaming.json",
        "mosh_session_unicode_scroll.json",
        "mosh_session_client_tty.json",
    ],
)
def test_captured_server_diffs_are_reproduced_exactly(name: str) -> None:
    """Rebuild each server state from mosh's diffs; diff_from gives mosh's diff back."""
    states = {0: TerminalState(Emulator(80, 24).frame())}
    session = json.loads((VECTORS / name).read_text())
    checked = 0
    for datagram in session["datagrams"]:
        instruction = datagram["decoded"].get("instruction")
        if datagram["dir"] != "s2c" or instruction is None:
            continue
        diff = bytes.fromhex(instruction["diff"])
        old = states[instruction["old_num"]]
        new = states.setdefault(instruction["new_num"], old.apply(diff))
        assert new.diff_from(old) == diff, datagram["index"]
        checked += 1
    assert checked > 5
