"""A small stdlib-only protobuf codec: just what mosh's three schemas need.

Encoding produces wire types 0 (varint) and 2 (length-delimited) only.
Decoding walks a message as ``(key, value)`` pairs, where ``key`` is the raw
tag value ``field_number << 3 | wire_type`` so callers match both the field
and its type with one integer comparison; a known field that arrives with an
unexpected wire type therefore falls through as unknown, as in protobuf.
Wire types 1 and 5 are skipped; 3, 4, 6 and 7 (groups, invalid) are refused.
"""

from __future__ import annotations

from typing import Iterator, Sequence, Union

from moshz.errors import ProtocolError

U64MAX = (1 << 64) - 1
WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_LEN = 2
WIRE_FIXED32 = 5

_MAX_VARINT_SHIFT = 63  # the shift of the tenth (last allowed) varint byte
_SMALL = tuple(bytes((i,)) for i in range(0x80))

FieldValue = Union[int, bytes]


def tag(field: int, wire_type: int) -> int:
    """The integer key a decoded field is matched against."""
    return field << 3 | wire_type


def encode_varint(value: int) -> bytes:
    """Base-128 little-endian encoding of an unsigned value up to 2**64-1."""
    if 0 <= value < 0x80:
        return _SMALL[value]
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_int32(value: int) -> bytes:
    """An int32 as protobuf sends it: negative values sign-extended to 10 bytes."""
    return encode_varint(value & U64MAX)


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Decode the varint at ``pos``; returns (value, position after it)."""
    end = len(data)
    result = 0
    shift = 0
    while True:
        if pos >= end:
            raise ProtocolError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            break
        shift += 7
        if shift > _MAX_VARINT_SHIFT:
            raise ProtocolError("varint longer than 10 bytes")
    if result > U64MAX:
        raise ProtocolError("varint exceeds 64 bits")
    return result, pos


def iter_fields(data: bytes) -> Iterator[tuple[int, FieldValue]]:
    """Yield each (key, value) of a message: int for varints, bytes for lengths.

    One-byte varints (nearly every key, length and number mosh sends) are read
    inline; longer ones go through ``read_varint``.
    """
    pos = 0
    end = len(data)
    while pos < end:
        key = data[pos]
        if key < 0x80:
            pos += 1
        else:
            key, pos = read_varint(data, pos)
        if key < 8:
            raise ProtocolError("protobuf field number 0")
        wire_type = key & 7
        if wire_type != WIRE_VARINT and wire_type != WIRE_LEN:
            pos = _skip_fixed(wire_type, pos, end)
            continue
        if pos < end and data[pos] < 0x80:
            value = data[pos]
            pos += 1
        else:
            value, pos = read_varint(data, pos)
        if wire_type == WIRE_VARINT:
            yield key, value
            continue
        stop = pos + value
        if stop > end:
            raise ProtocolError("protobuf length past the end")
        yield key, data[pos:stop]
        pos = stop


def _skip_fixed(wire_type: int, pos: int, end: int) -> int:
    if wire_type == WIRE_FIXED64:
        pos += 8
    elif wire_type == WIRE_FIXED32:
        pos += 4
    else:
        raise ProtocolError(f"unsupported protobuf wire type {wire_type}")
    if pos > end:
        raise ProtocolError("truncated fixed-width protobuf field")
    return pos


def read_fields(data: bytes, defaults: dict[int, FieldValue]) -> dict[int, FieldValue]:
    """The wanted fields of a message by key (last value wins), else their defaults."""
    values = dict(defaults)
    for key, value in iter_fields(data):
        if key in values:
            values[key] = value
    return values


def nested_len_fields(keys: Sequence[bytes], payload: bytes) -> bytes:
    """``payload`` wrapped in length-delimited fields, outermost key first, in one copy."""
    parts = [payload]
    size = len(payload)
    for key in reversed(keys):
        length = encode_varint(size)
        parts.append(length)
        parts.append(key)
        size += len(length) + len(key)
    parts.reverse()
    return b"".join(parts)


def as_uint32(value: int) -> int:
    """A decoded varint read as uint32 (protobuf keeps the low 32 bits)."""
    return value & 0xFFFFFFFF


def as_int32(value: int) -> int:
    """A decoded varint read as int32 (low 32 bits, two's complement)."""
    low = value & 0xFFFFFFFF
    return low - (1 << 32) if low & 0x80000000 else low
