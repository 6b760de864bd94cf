"""The three mosh schemas: exact bytes, decoding rules and refusals."""

from __future__ import annotations

import pytest

from moshz.errors import ProtocolError
from moshz.wire.messages import (
    PROTOCOL_VERSION,
    SHUTDOWN_NUM,
    EchoAck,
    HostBytes,
    Instruction,
    Keystroke,
    Resize,
    decode_host_message,
    decode_instruction,
    decode_user_message,
    encode_host_message,
    encode_instruction,
    encode_user_message,
)

SHUTDOWN_REQUEST = bytes.fromhex("0802" "1014" "18ffffffffffffffffff01" "2015" "2814" "3200" "3a0c")


def test_instruction_matches_the_worked_example() -> None:
    diff = bytes.fromhex("0a0512032201") + b"e"
    inst = Instruction(2, 2, 4, 3, 2, diff, b"\x53")
    encoded = bytes.fromhex("0802" "1002" "1804" "2003" "2802" "3207") + diff + b"\x3a\x01\x53"
    assert encode_instruction(inst) == encoded
    assert decode_instruction(encoded) == inst


def test_shutdown_request_carries_a_ten_byte_new_num() -> None:
    chaff = bytes(range(12))
    inst = Instruction(PROTOCOL_VERSION, 20, SHUTDOWN_NUM, 21, 20, b"", chaff)
    assert encode_instruction(inst) == SHUTDOWN_REQUEST + chaff
    assert decode_instruction(SHUTDOWN_REQUEST + chaff) == inst


def test_all_seven_fields_are_sent_even_when_empty() -> None:
    inst = Instruction(2, 0, 0, 0, 0, b"", b"")
    assert encode_instruction(inst) == bytes.fromhex("08021000180020002800" "3200" "3a00")


def test_instruction_fields_may_come_in_any_order_and_repeat() -> None:
    data = bytes.fromhex("3a0101" "1005" "0802" "1007" "320100" "4801")
    assert decode_instruction(data) == Instruction(2, 7, 0, 0, 0, b"\x00", b"\x01")


@pytest.mark.parametrize("data", ["", "0803", "0800", "1001"])
def test_other_protocol_versions_are_refused(data: str) -> None:
    with pytest.raises(ProtocolError, match="protocol version mismatch"):
        decode_instruction(bytes.fromhex(data))


def test_keystroke_and_resize_bytes() -> None:
    events = [Keystroke(b"e"), Resize(80, 24)]
    encoded = bytes.fromhex("0a0512032201" "65" "0a061a0428503018")
    assert encode_user_message(events) == encoded
    assert decode_user_message(encoded) == events


def test_host_message_example() -> None:
    output = bytes.fromhex("1b5b3f32356c0a24201b5b3f3235681b5b3f3230303468")
    events = [EchoAck(1), HostBytes(output)]
    encoded = bytes.fromhex("0a043a024001" "0a1b12192217") + output
    assert encode_host_message(events) == encoded
    assert decode_host_message(encoded) == events


def test_host_resize_and_large_echo_ack() -> None:
    events = [EchoAck(SHUTDOWN_NUM), Resize(100, 30), HostBytes(b"")]
    assert decode_host_message(encode_host_message(events)) == events


def test_negative_resize_round_trips() -> None:
    encoded = encode_user_message([Resize(-1, -(2**31))])
    assert decode_user_message(encoded) == [Resize(-1, -(2**31))]


def test_entries_without_a_known_extension_are_skipped() -> None:
    unknown_ext = bytes.fromhex("0a02" "2a00")
    echo_in_user = bytes.fromhex("0a04" "3a024001")
    stray_field = bytes.fromhex("1001")
    data = unknown_ext + echo_in_user + stray_field + bytes.fromhex("0a0512032201") + b"x"
    assert decode_user_message(data) == [Keystroke(b"x")]


def test_missing_nested_fields_take_defaults() -> None:
    assert decode_user_message(bytes.fromhex("0a021200" "0a021a00")) == [
        Keystroke(b""),
        Resize(0, 0),
    ]
    assert decode_host_message(bytes.fromhex("0a023a00")) == [EchoAck(0)]


def test_host_precedence_is_hostbytes_then_resize_then_echoack() -> None:
    entry = bytes.fromhex("3a024005" "1a0428503018" "1203220161")
    data = b"\x0a" + bytes([len(entry)]) + entry
    assert decode_host_message(data) == [HostBytes(b"a")]
    entry = bytes.fromhex("3a024005" "1a0428503018")
    assert decode_host_message(b"\x0a" + bytes([len(entry)]) + entry) == [Resize(80, 24)]


def test_user_precedence_is_keystroke_then_resize() -> None:
    entry = bytes.fromhex("1a0428503018" "1203220161")
    assert decode_user_message(b"\x0a" + bytes([len(entry)]) + entry) == [Keystroke(b"a")]


def test_a_repeated_extension_merges_like_protobuf() -> None:
    entry = bytes.fromhex("1a022850" "1a023018")
    assert decode_user_message(b"\x0a" + bytes([len(entry)]) + entry) == [Resize(80, 24)]


def test_a_malformed_lower_precedence_extension_is_still_refused() -> None:
    entry = bytes.fromhex("1203220161" "1a0228")
    with pytest.raises(ProtocolError):
        decode_user_message(b"\x0a" + bytes([len(entry)]) + entry)


def test_events_of_the_wrong_direction_cannot_be_encoded() -> None:
    with pytest.raises(KeyError):
        encode_user_message([HostBytes(b"x")])  # type: ignore[list-item]
    with pytest.raises(KeyError):
        encode_host_message([Keystroke(b"x")])  # type: ignore[list-item]
