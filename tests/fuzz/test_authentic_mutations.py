"""A peer holding the key but sending mangled content: dropped or applied, never a crash.

Real mosh aborts on authentic-but-malformed input (PROTOCOL.md 3.5); moshz must drop it
instead, and whatever it does accept must leave a terminal that is sane. Each example
takes a recorded real-mosh session, replaces a few of its single-fragment instructions by
mutated ones sealed with the session key (mutating the zlib stream, the protobuf bytes, the
diff, or the host bytes / keystrokes / sizes inside it), and delivers the session.
"""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.crypto.session import Session
from moshz.statesync.terminal import TerminalState
from moshz.wire.fragment import Fragment, decode_fragment, encode_fragment
from moshz.wire.messages import (
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
from tests.fuzz.captures import Arrival, captures
from tests.fuzz.mutations import assert_frame_sane, mutated
from tests.fuzz.test_receive_path import sides

# "content" (mutations that still pass the decoders, so they reach the emulator) weighs most.
LEVELS = ("content", "content", "content", "diff", "instruction", "compressed")
SIZES = st.one_of(st.integers(0, 300), st.integers(0, 70000))


class Opened:
    """A genuine datagram carrying a whole instruction in one fragment, taken apart."""

    def __init__(self, key: bytes, packet: Packet, fragment: Fragment) -> None:
        self.key = key
        self.packet = packet
        self.fragment = fragment
        self.instruction = decode_instruction(zlib.decompress(fragment.contents))

    @classmethod
    def parse(cls, key: bytes, data: bytes) -> Opened | None:
        """The datagram taken apart, or None if its instruction spans several fragments."""
        nonce, plaintext = Session(key).open(data)
        packet = decode_packet_plaintext(nonce, plaintext)
        fragment = decode_fragment(packet.payload)
        if fragment.num != 0 or not fragment.final:
            return None
        return cls(key, packet, fragment)

    def sealed(self, compressed: bytes) -> bytes:
        """A datagram like the original (same nonce, timestamps, fragment id) with new contents."""
        fragment = Fragment(self.fragment.id, 0, True, compressed)
        packet = dataclasses.replace(self.packet, payload=encode_fragment(fragment))
        return Session(self.key).seal(packet.nonce, encode_packet_plaintext(packet))


@st.composite
def mutated_events(draw: Any, diff: bytes, to_client: bool) -> bytes:
    """The diff re-encoded after mutating the bytes and sizes its events carry."""
    events: list[Any] = []
    for event in decode_host_message(diff) if to_client else decode_user_message(diff):
        if isinstance(event, HostBytes):
            event = HostBytes(draw(mutated(event.data)))
        elif isinstance(event, Keystroke):
            event = Keystroke(draw(mutated(event.keys)))
        elif isinstance(event, Resize) and draw(st.booleans()):
            event = Resize(draw(SIZES), draw(SIZES))
        events.append(event)
    return encode_host_message(events) if to_client else encode_user_message(events)


@st.composite
def mangled(draw: Any, opened: Opened, to_client: bool) -> bytes:
    """A datagram whose authentic contents are mutated at one of the four levels."""
    level = draw(st.sampled_from(LEVELS))
    inst = opened.instruction
    if level == "compressed":
        return opened.sealed(draw(mutated(opened.fragment.contents)))
    if level == "instruction":
        return opened.sealed(zlib.compress(draw(mutated(encode_instruction(inst)))))
    if level == "diff" or not inst.diff:
        diff = draw(mutated(inst.diff or b"\x0a"))
    else:
        diff = draw(mutated_events(inst.diff, to_client))
    return opened.sealed(zlib.compress(encode_instruction(_with_diff(inst, diff))))


def _with_diff(inst: Instruction, diff: bytes) -> Instruction:
    return dataclasses.replace(inst, diff=diff)


@st.composite
def sessions(draw: Any) -> tuple[int, int, list[tuple[bytes, Arrival]]]:
    """A recorded session's deliveries for one side, a few of them replaced by mangled twins."""
    capture_index = draw(st.integers(0, len(captures()) - 1))
    capture = captures()[capture_index]
    side_index = draw(st.integers(0, 1))
    arrivals = sides(capture)[side_index].arrivals
    candidates = [i for i, a in enumerate(arrivals) if Opened.parse(capture.key, a.data)]
    chosen = draw(st.sets(st.sampled_from(candidates), min_size=1, max_size=3))
    deliveries = []
    for index, arrival in enumerate(arrivals):
        data = arrival.data
        if index in chosen:
            opened = Opened.parse(capture.key, arrival.data)
            assert opened is not None
            data = draw(mangled(opened, side_index == 0))
        deliveries.append((data, arrival))
    return capture_index, side_index, deliveries


@settings(max_examples=150, deadline=None, derandomize=True)
@given(sessions())
def test_mangled_authentic_content_is_dropped_or_applied_sanely(
    session: tuple[int, int, list[tuple[bytes, Arrival]]],
) -> None:
    capture_index, side_index, deliveries = session
    capture = captures()[capture_index]
    transport = sides(capture)[side_index].make(capture.key)
    for data, arrival in deliveries:
        transport.receive_datagram(data, arrival.addr, arrival.now)
        state = transport.remote_state
        if isinstance(state, TerminalState):
            assert_frame_sane(state.frame)
    transport.datagrams_to_send(deliveries[-1][1].now)  # and it keeps running


def test_the_helpers_take_apart_what_they_seal() -> None:
    capture = captures()[0]
    opened = [Opened.parse(capture.key, arrival.data) for arrival in capture.to_client]
    with_output = [o for o in opened if o is not None and o.instruction.diff]
    assert with_output
    first = with_output[0]
    assert first.sealed(first.fragment.contents) in [a.data for a in capture.to_client]
    assert any(isinstance(e, HostBytes) for e in decode_host_message(first.instruction.diff))
