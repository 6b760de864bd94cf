"""The hand-written protobuf codec: varints, field walking, the error cases."""

from __future__ import annotations

import pytest

from moshz.errors import ProtocolError
from moshz.wire.protobuf import (
    U64MAX,
    WIRE_LEN,
    WIRE_VARINT,
    as_int32,
    as_uint32,
    encode_int32,
    encode_varint,
    iter_fields,
    nested_len_fields,
    read_fields,
    read_varint,
    tag,
)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (1, "01"),
        (127, "7f"),
        (128, "8001"),
        (300, "ac02"),
        (16384, "808001"),
        (U64MAX, "ffffffffffffffffff01"),
    ],
)
def test_varint_encodes_and_decodes(value: int, encoded: str) -> None:
    data = bytes.fromhex(encoded)
    assert encode_varint(value) == data
    assert read_varint(data, 0) == (value, len(data))


def test_varint_read_from_an_offset() -> None:
    assert read_varint(b"\xff\xac\x02\x00", 1) == (300, 3)


def test_negative_int32_is_sign_extended_to_ten_bytes() -> None:
    encoded = encode_int32(-1)
    assert encoded == bytes.fromhex("ffffffffffffffffff01")
    value, _ = read_varint(encoded, 0)
    assert as_int32(value) == -1
    assert as_int32(read_varint(encode_int32(-(2**31)), 0)[0]) == -(2**31)


def test_32_bit_views_keep_the_low_bits() -> None:
    assert as_uint32(2 + (1 << 32)) == 2
    assert as_int32(0xFFFFFFFF) == -1
    assert as_int32(0x7FFFFFFF) == 0x7FFFFFFF


def test_negative_varint_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        encode_varint(-1)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "truncated"),
        ("80", "truncated"),
        ("ffffffff", "truncated"),
        ("ffffffffffffffffff02", "64 bits"),
        ("ffffffffffffffffff7f", "64 bits"),
        ("ffffffffffffffffff8001", "10 bytes"),
        ("8080808080808080808000", "10 bytes"),
    ],
)
def test_bad_varints_are_protocol_errors(data: str, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        read_varint(bytes.fromhex(data), 0)


def test_fields_are_walked_in_order_as_key_value_pairs() -> None:
    data = bytes.fromhex("0802" "1203616263" "1800")
    assert list(iter_fields(data)) == [
        (tag(1, WIRE_VARINT), 2),
        (tag(2, WIRE_LEN), b"abc"),
        (tag(3, WIRE_VARINT), 0),
    ]


def test_fixed_width_fields_are_skipped() -> None:
    data = bytes.fromhex("09" "0102030405060708" "15" "01020304" "0801")
    assert list(iter_fields(data)) == [(tag(1, WIRE_VARINT), 1)]


@pytest.mark.parametrize("wire_type", [3, 4, 6, 7])
def test_group_and_invalid_wire_types_are_refused(wire_type: int) -> None:
    with pytest.raises(ProtocolError, match="wire type"):
        list(iter_fields(bytes([8 | wire_type, 0])))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("0a05616263", "past the end"),
        ("0a", "truncated varint"),
        ("08", "truncated varint"),
        ("09010203", "truncated fixed"),
        ("1d0102", "truncated fixed"),
        ("0001", "field number 0"),
        ("8a", "truncated varint"),
    ],
)
def test_malformed_messages_are_protocol_errors(data: str, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason):
        list(iter_fields(bytes.fromhex(data)))


def test_read_fields_last_value_wins_and_defaults_fill_gaps() -> None:
    data = bytes.fromhex("0801" "0802" "2a00" "1202ffff")
    wanted = {tag(1, WIRE_VARINT): 0, tag(2, WIRE_LEN): b"", tag(3, WIRE_VARINT): 7}
    assert read_fields(data, wanted) == {
        tag(1, WIRE_VARINT): 2,
        tag(2, WIRE_LEN): b"\xff\xff",
        tag(3, WIRE_VARINT): 7,
    }


def test_a_known_field_with_another_wire_type_is_unknown() -> None:
    data = bytes.fromhex("0a0102")  # field 1 as bytes, but wanted as a varint
    assert read_fields(data, {tag(1, WIRE_VARINT): 0}) == {tag(1, WIRE_VARINT): 0}


def test_nested_len_fields_wraps_outermost_first() -> None:
    assert nested_len_fields((b"\x0a", b"\x12"), b"xyz") == bytes.fromhex("0a05" "1203") + b"xyz"
    long = b"a" * 200
    assert nested_len_fields((b"\x0a",), long) == b"\x0a\xc8\x01" + long
    assert nested_len_fields((), b"q") == b"q"
