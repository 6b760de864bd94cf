"""Property tests: every decoder parses or raises ProtocolError; encoders round-trip."""

from __future__ import annotations

import zlib
from typing import Any, Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.errors import ProtocolError
from moshz.wire.fragment import (
    MAX_FRAGMENTS,
    Fragment,
    FragmentAssembly,
    Fragmenter,
    decode_fragment,
    encode_fragment,
    inflate,
)
from moshz.wire.messages import (
    PROTOCOL_VERSION,
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
from moshz.wire.packet import Packet, decode_packet_plaintext, encode_packet_plaintext
from moshz.wire.protobuf import U64MAX, iter_fields, read_varint

from .sessions import all_datagrams, completed_instructions

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None)

_DONE = completed_instructions()
_SAMPLES = {
    "instruction": [bytes.fromhex(d["instruction_bytes"]) for d in _DONE],
    "diff": [bytes.fromhex(d["instruction"]["diff"]) for d in _DONE],
    "compressed": [bytes.fromhex(d["compressed_instruction"]) for d in _DONE],
    "plaintext": [bytes.fromhex(d["decoded"]["plaintext"]) for d in all_datagrams()],
}

u64 = st.integers(0, U64MAX)
i32 = st.integers(-(2**31), 2**31 - 1)
instructions = st.builds(
    Instruction,
    st.just(PROTOCOL_VERSION),
    u64,
    u64,
    u64,
    u64,
    st.binary(max_size=2000),
    st.binary(max_size=16),
)
resizes = st.builds(Resize, i32, i32)
user_events = st.lists(st.one_of(st.builds(Keystroke, st.binary(max_size=64)), resizes))
host_events = st.lists(
    st.one_of(st.builds(HostBytes, st.binary(max_size=64)), resizes, st.builds(EchoAck, u64))
)


@st.composite
def mutated(draw: Callable[..., Any], kind: str) -> bytes:
    """A captured message with a few random bytes flipped, inserted, deleted or cut off."""
    data = bytearray(draw(st.sampled_from(_SAMPLES[kind])))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(("flip", "insert", "delete", "truncate")))
        if operation == "insert" or (operation == "flip" and pos == len(data)):
            data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
        elif operation == "flip":
            data[pos] ^= draw(st.integers(1, 255))
        elif operation == "delete":
            del data[pos : pos + draw(st.integers(1, 4))]
        else:
            del data[pos:]
    return bytes(data)


def _assemble(data: bytes) -> object:
    return FragmentAssembly().add(decode_fragment(data))


DECODERS: dict[str, Callable[[bytes], object]] = {
    "varint": lambda data: read_varint(data, 0),
    "fields": lambda data: list(iter_fields(data)),
    "instruction": decode_instruction,
    "user": decode_user_message,
    "host": decode_host_message,
    "packet": lambda data: decode_packet_plaintext(0, data),
    "fragment": decode_fragment,
    "inflate": inflate,
    "assembly": _assemble,
    "compressed instruction": lambda data: FragmentAssembly().add(Fragment(1, 0, True, data)),
}


def _parses_or_refuses(data: bytes) -> None:
    for decode in DECODERS.values():
        try:
            decode(data)
        except ProtocolError:
            pass


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_parse_or_raise_protocol_error(data: bytes) -> None:
    _parses_or_refuses(data)


@FUZZ
@given(st.one_of([mutated(kind) for kind in _SAMPLES]))
def test_mutated_real_messages_parse_or_raise_protocol_error(data: bytes) -> None:
    _parses_or_refuses(data)
    _parses_or_refuses(zlib.compress(data))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.booleans(), st.binary())))
def test_random_fragment_sequences_never_crash_the_assembly(
    parts: list[tuple[int, int, bool, bytes]],
) -> None:
    assembly = FragmentAssembly()
    for ident, num, final, contents in parts:
        try:
            assembly.add(Fragment(ident, num, final, contents))
        except ProtocolError:
            pass


@FUZZ
@given(instructions)
def test_instruction_round_trip(inst: Instruction) -> None:
    assert decode_instruction(encode_instruction(inst)) == inst


@FUZZ
@given(user_events)
def test_user_message_round_trip(events: list[Keystroke | Resize]) -> None:
    assert decode_user_message(encode_user_message(events)) == events


@FUZZ
@given(host_events)
def test_host_message_round_trip(events: list[HostBytes | Resize | EchoAck]) -> None:
    assert decode_host_message(encode_host_message(events)) == events


@FUZZ
@given(u64, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.binary(max_size=40))
def test_packet_round_trip(nonce: int, stamp: int, reply: int, payload: bytes) -> None:
    packet = Packet(nonce, stamp, reply, payload)
    assert decode_packet_plaintext(nonce, encode_packet_plaintext(packet)) == packet


@FUZZ
@given(st.builds(Fragment, u64, st.integers(0, MAX_FRAGMENTS - 1), st.booleans(), st.binary()))
def test_fragment_round_trip(fragment: Fragment) -> None:
    assert decode_fragment(encode_fragment(fragment)) == fragment


@FUZZ
@given(instructions, st.integers(39, 1500), st.data())
def test_fragmenter_and_assembly_round_trip_in_any_order(
    inst: Instruction, mtu: int, data: st.DataObject
) -> None:
    fragments = Fragmenter().make_fragments(inst, mtu)
    order = data.draw(st.permutations(fragments))
    seen = order[:-1]
    if seen:
        order = seen + data.draw(st.lists(st.sampled_from(seen), max_size=3)) + order[-1:]
    assembly = FragmentAssembly()
    results = [assembly.add(fragment) for fragment in order]
    assert results == [None] * (len(order) - 1) + [inst]
