"""UserStream: mosh's client state, its wire diffs and prefix bookkeeping."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moshz.errors import ProtocolError
from moshz.statesync.user import UserStream
from moshz.wire.messages import Keystroke, Resize
from tests.vectors import VECTORS


def stream(*events: bytes | tuple[int, int]) -> UserStream:
    result = UserStream()
    for event in events:
        if isinstance(event, bytes):
            result = result.push_keys(event)
        else:
            result = result.push_resize(*event)
    return result


def test_empty_streams_are_equal_and_diff_to_nothing() -> None:
    assert UserStream() == UserStream()
    assert UserStream().diff_from(UserStream()) == b""


def test_consecutive_bytes_share_one_keystroke_and_resizes_stand_alone() -> None:
    s = stream(b"a", b"b", (80, 24), (100, 30), b"c")
    assert s.events_since(UserStream()) == [
        Keystroke(b"ab"),
        Resize(80, 24),
        Resize(100, 30),
        Keystroke(b"c"),
    ]


def test_diff_encoding_matches_protocol_examples() -> None:
    assert stream(b"e").diff_from(UserStream()) == bytes.fromhex("0a0512032201") + b"e"
    assert stream((80, 24)).diff_from(UserStream()) == bytes.fromhex("0a061a0428503018")


def test_first_client_diff_matches_the_capture() -> None:
    capture = json.loads((VECTORS / "mosh_session_basic.json").read_text())
    first = capture["datagrams"][0]["decoded"]["instruction"]
    assert stream((80, 24)).diff_from(UserStream()).hex() == first["diff"]


def test_diff_is_relative_to_old_and_mid_run() -> None:
    old = stream(b"hel")
    new = old.push_keys(b"lo")
    assert new.events_since(old) == [Keystroke(b"lo")]
    assert old.apply(new.diff_from(old)) == new


def test_apply_round_trips_to_an_equal_stream() -> None:
    s = stream(b"ls", (80, 24), b"\r")
    assert UserStream().apply(s.diff_from(UserStream())) == s


def test_subtract_drops_the_known_prefix_but_keeps_equality() -> None:
    acked = stream(b"abc")
    full = acked.push_keys(b"de").push_resize(10, 5)
    trimmed = full.subtract(acked)
    assert trimmed.base == 3 and trimmed.end == full.end
    assert trimmed == full
    assert trimmed.events_since(acked) == [Keystroke(b"de"), Resize(10, 5)]
    assert trimmed.diff_from(acked) == full.diff_from(acked)


def test_subtract_of_itself_or_older_is_cheap() -> None:
    s = stream(b"xy")
    empty = s.subtract(s)
    assert empty.base == empty.end == 2
    assert empty.subtract(UserStream()) is empty
    assert empty.subtract(s) is empty


def test_states_that_differ_are_unequal() -> None:
    assert stream(b"a") != stream(b"b")
    assert stream(b"a") != stream(b"ab")
    assert stream((1, 2)) != stream((2, 1))
    assert stream(b"a") != "a"


def test_push_of_nothing_is_the_same_state() -> None:
    s = stream(b"q")
    assert s.push_keys(b"") is s


def test_malformed_diff_raises_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        UserStream().apply(b"\x0a\x05\x12")


def test_events_since_a_newer_state_is_empty() -> None:
    assert stream(b"a").events_since(stream(b"ab")) == []


events = st.lists(
    st.one_of(
        st.binary(min_size=1, max_size=5),
        st.tuples(st.integers(1, 300), st.integers(1, 300)),
    ),
    max_size=12,
)


@given(events, events, st.integers(0, 20))
def test_any_split_round_trips(first: list, second: list, cut: int) -> None:
    old = stream(*first)
    new = old
    for event in second:
        new = stream_push(new, event)
    assert stream(*first).apply(new.diff_from(old)) == new
    prefix_len = min(cut, new.end)
    trimmed = new.subtract(_prefix(new, prefix_len))
    assert trimmed == new
    assert trimmed.end - trimmed.base == new.end - prefix_len


def stream_push(s: UserStream, event: bytes | tuple[int, int]) -> UserStream:
    return s.push_keys(event) if isinstance(event, bytes) else s.push_resize(*event)


def _prefix(s: UserStream, length: int) -> UserStream:
    """A stream holding the first ``length`` events of ``s`` (built by re-pushing)."""
    result = UserStream()
    for event in s.events_since(UserStream()):
        if result.end >= length:
            break
        if isinstance(event, Keystroke):
            result = result.push_keys(event.keys[: length - result.end])
        else:
            result = result.push_resize(event.width, event.height)
    return result
