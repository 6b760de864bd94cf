"""mosh's three protobuf schemas, encoded byte-for-byte as mosh 1.4 does.

``Instruction`` is the transport message (PROTOCOL.md 6.2); ``UserMessage``
(client diffs, 6.3) and ``HostMessage`` (server diffs, 6.4) are lists of
events, each sent as one ``instruction`` entry carrying one extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Sequence, Union

from moshz.errors import ProtocolError
from moshz.wire.protobuf import (
    WIRE_LEN,
    WIRE_VARINT,
    FieldValue,
    as_int32,
    as_uint32,
    encode_int32,
    encode_varint,
    iter_fields,
    nested_len_fields,
    read_fields,
    tag,
)

PROTOCOL_VERSION = 2
SHUTDOWN_NUM = (1 << 64) - 1


@dataclass(frozen=True)
class Instruction:
    """One transport instruction: the diff from state ``old_num`` to ``new_num``."""

    protocol_version: int
    old_num: int
    new_num: int
    ack_num: int
    throwaway_num: int
    diff: bytes
    chaff: bytes


@dataclass(frozen=True)
class Keystroke:
    """Bytes the user typed (client to server)."""

    keys: bytes


@dataclass(frozen=True)
class Resize:
    """A new window size, sent by the client and echoed by the server."""

    width: int
    height: int


@dataclass(frozen=True)
class HostBytes:
    """Terminal output for the client's emulator (server to client)."""

    data: bytes


@dataclass(frozen=True)
class EchoAck:
    """The newest client state whose echo the server has had time to show."""

    num: int


UserEvent = Union[Keystroke, Resize]
HostEvent = Union[HostBytes, Resize, EchoAck]

# Instruction fields 1..7: five varints, then diff and chaff.
_INSTRUCTION_KEYS = [tag(n, WIRE_VARINT) for n in range(1, 6)] + [tag(6, WIRE_LEN), tag(7, WIRE_LEN)]
_INSTRUCTION_VALUES = itemgetter(*_INSTRUCTION_KEYS)
_K_VERSION, _K_OLD, _K_NEW, _K_ACK, _K_THROWAWAY, _K_DIFF, _K_CHAFF = (
    encode_varint(key) for key in _INSTRUCTION_KEYS
)
_INSTRUCTION_DEFAULTS: dict[int, FieldValue] = {
    key: (b"" if key & 7 == WIRE_LEN else 0) for key in _INSTRUCTION_KEYS
}

# The diff messages: a repeated ``instruction`` (field 1), each with one extension.
_T_ENTRY = tag(1, WIRE_LEN)
_T_KEYSTROKE = _T_HOSTBYTES = tag(2, WIRE_LEN)
_T_RESIZE = tag(3, WIRE_LEN)
_T_ECHOACK = tag(7, WIRE_LEN)
_T_BYTES = tag(4, WIRE_LEN)  # Keystroke.keys and HostBytes.hoststring
_T_WIDTH = tag(5, WIRE_VARINT)
_T_HEIGHT = tag(6, WIRE_VARINT)
_T_ECHO_NUM = tag(8, WIRE_VARINT)
_K_ENTRY = encode_varint(_T_ENTRY)
_K_BYTES_EXT = encode_varint(_T_KEYSTROKE)
_K_RESIZE = encode_varint(_T_RESIZE)
_K_ECHOACK = encode_varint(_T_ECHOACK)
_K_BYTES = encode_varint(_T_BYTES)
_K_WIDTH = encode_varint(_T_WIDTH)
_K_HEIGHT = encode_varint(_T_HEIGHT)
_K_ECHO_NUM = encode_varint(_T_ECHO_NUM)


def encode_instruction(inst: Instruction) -> bytes:
    """Serialize an Instruction with all seven fields, in mosh's field order."""
    return b"".join(
        (
            _K_VERSION,
            encode_varint(inst.protocol_version),
            _K_OLD,
            encode_varint(inst.old_num),
            _K_NEW,
            encode_varint(inst.new_num),
            _K_ACK,
            encode_varint(inst.ack_num),
            _K_THROWAWAY,
            encode_varint(inst.throwaway_num),
            _K_DIFF,
            encode_varint(len(inst.diff)),
            inst.diff,
            _K_CHAFF,
            encode_varint(len(inst.chaff)),
            inst.chaff,
        )
    )


def decode_instruction(data: bytes) -> Instruction:
    """Parse an Instruction; anything but protocol version 2 is refused."""
    values = _INSTRUCTION_VALUES(read_fields(data, _INSTRUCTION_DEFAULTS))
    version = as_uint32(values[0])
    if version != PROTOCOL_VERSION:
        raise ProtocolError("mosh protocol version mismatch")
    return Instruction(version, *values[1:])


def _encode_bytes_event(data: bytes) -> bytes:
    return nested_len_fields((_K_ENTRY, _K_BYTES_EXT, _K_BYTES), data)


def _encode_resize(event: Resize) -> bytes:
    body = b"".join((_K_WIDTH, encode_int32(event.width), _K_HEIGHT, encode_int32(event.height)))
    return nested_len_fields((_K_ENTRY, _K_RESIZE), body)


def _encode_echoack(event: EchoAck) -> bytes:
    return nested_len_fields((_K_ENTRY, _K_ECHOACK), _K_ECHO_NUM + encode_varint(event.num))


_USER_ENCODERS: dict[type, Callable[..., bytes]] = {
    Keystroke: lambda event: _encode_bytes_event(event.keys),
    Resize: _encode_resize,
}
_HOST_ENCODERS: dict[type, Callable[..., bytes]] = {
    HostBytes: lambda event: _encode_bytes_event(event.data),
    Resize: _encode_resize,
    EchoAck: _encode_echoack,
}


def encode_user_message(events: Sequence[UserEvent]) -> bytes:
    """Serialize a ClientBuffers.UserMessage: one instruction entry per event."""
    return b"".join([_USER_ENCODERS[type(event)](event) for event in events])


def encode_host_message(events: Sequence[HostEvent]) -> bytes:
    """Serialize a HostBuffers.HostMessage: one instruction entry per event."""
    return b"".join([_HOST_ENCODERS[type(event)](event) for event in events])


def _bytes_of(body: bytes) -> bytes:
    return read_fields(body, {_T_BYTES: b""})[_T_BYTES]


def _decode_resize(body: bytes) -> Resize:
    fields = read_fields(body, {_T_WIDTH: 0, _T_HEIGHT: 0})
    return Resize(as_int32(fields[_T_WIDTH]), as_int32(fields[_T_HEIGHT]))


def _decode_echoack(body: bytes) -> EchoAck:
    return EchoAck(read_fields(body, {_T_ECHO_NUM: 0})[_T_ECHO_NUM])


# Extension decoders in mosh's order of precedence when an entry has several.
_USER_DECODERS: dict[int, Callable[[bytes], UserEvent]] = {
    _T_KEYSTROKE: lambda body: Keystroke(_bytes_of(body)),
    _T_RESIZE: _decode_resize,
}
_HOST_DECODERS: dict[int, Callable[[bytes], HostEvent]] = {
    _T_HOSTBYTES: lambda body: HostBytes(_bytes_of(body)),
    _T_RESIZE: _decode_resize,
    _T_ECHOACK: _decode_echoack,
}


def _decode_entry(entry: bytes, decoders: dict[int, Callable[[bytes], object]]) -> list[object]:
    """The events of one instruction entry's known extensions, by precedence.

    A repeated extension is merged the protobuf way (its encodings concatenated),
    and every known extension is parsed so that malformed content is refused.
    """
    bodies: dict[int, bytes] = {}
    for key, value in iter_fields(entry):
        if key in decoders:
            bodies[key] = bodies.get(key, b"") + value
    return [decode(bodies[key]) for key, decode in decoders.items() if key in bodies]


def _decode_events(data: bytes, decoders: dict[int, Callable[[bytes], object]]) -> list[object]:
    events = []
    for key, value in iter_fields(data):
        if key == _T_ENTRY:
            found = _decode_entry(value, decoders)
            if found:
                events.append(found[0])
    return events


def decode_user_message(data: bytes) -> list[UserEvent]:
    """Parse a UserMessage; entries with neither keystroke nor resize are skipped."""
    return _decode_events(data, _USER_DECODERS)


def decode_host_message(data: bytes) -> list[HostEvent]:
    """Parse a HostMessage; entries with no known extension are skipped."""
    return _decode_events(data, _HOST_DECODERS)
