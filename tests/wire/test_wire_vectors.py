"""Replay every captured real-mosh datagram through the wire decoders and encoders."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import pytest

from moshz.wire.fragment import (
    IPV4_MTU,
    Fragment,
    FragmentAssembly,
    Fragmenter,
    decode_fragment,
    encode_fragment,
)
from moshz.wire.messages import (
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

from .sessions import SESSION_FILES, load, nonce_of


def test_vectors_are_present() -> None:
    assert len(SESSION_FILES) == 5


def _event_json(event: object) -> dict[str, Any]:
    """An event in the shape the capture decoder recorded it."""
    if isinstance(event, Keystroke):
        return {"keystroke": event.keys.hex()}
    if isinstance(event, HostBytes):
        return {"hostbytes": event.data.hex()}
    if isinstance(event, Resize):
        return {"resize": {"width": event.width, "height": event.height}}
    assert isinstance(event, EchoAck)
    return {"echoack": {"echo_ack_num": event.num}}


def _recorded_json(entry: dict[str, Any]) -> dict[str, Any]:
    name, value = next(iter(entry.items()))
    return {name: value["hex"]} if "hex" in value else {name: value}


def _check_packet(datagram: dict[str, Any]) -> Packet:
    decoded = datagram["decoded"]
    plaintext = bytes.fromhex(decoded["plaintext"])
    packet = decode_packet_plaintext(nonce_of(datagram), plaintext)
    assert packet.seq == decoded["seq"]
    assert packet.direction == (1 if datagram["dir"] == "s2c" else 0)
    assert packet.timestamp == decoded["timestamp"]
    assert packet.timestamp_reply == decoded["timestamp_reply"]
    assert encode_packet_plaintext(packet) == plaintext
    return packet


def _check_fragment(payload: bytes, recorded: dict[str, Any]) -> Fragment:
    fragment = decode_fragment(payload)
    assert fragment.id == recorded["id"]
    assert fragment.num == recorded["fragment_num"]
    assert fragment.final == recorded["final"]
    assert fragment.contents.hex() == recorded["contents"]
    assert encode_fragment(fragment) == payload
    return fragment


def _check_instruction(inst: Instruction, decoded: dict[str, Any]) -> None:
    raw = bytes.fromhex(decoded["instruction_bytes"])
    assert zlib.compress(raw, 6).hex() == decoded["compressed_instruction"]
    assert encode_instruction(inst) == raw
    assert decode_instruction(raw) == inst
    recorded = decoded["instruction"]
    assert recorded["field_order"] == [1, 2, 3, 4, 5, 6, 7]
    for name in ("protocol_version", "old_num", "new_num", "ack_num", "throwaway_num"):
        assert getattr(inst, name) == recorded[name]
    assert inst.diff.hex() == recorded["diff"]
    assert inst.chaff.hex() == recorded["chaff"]


def _check_diff(inst: Instruction, decoded: dict[str, Any], direction: str) -> None:
    recorded = decoded["instruction"].get("diff_decoded", {})
    if direction == "c2s":
        events: list[Any] = decode_user_message(inst.diff)
        assert encode_user_message(events) == inst.diff
        entries = recorded.get("ClientBuffers.UserMessage", [])
    else:
        events = decode_host_message(inst.diff)
        assert encode_host_message(events) == inst.diff
        entries = recorded.get("HostBuffers.HostMessage", [])
    assert [_event_json(e) for e in events] == [_recorded_json(e) for e in entries]


def _check_refragment(fragmenter: Fragmenter, inst: Instruction, sent: list[Fragment]) -> None:
    """Our sender, fed the same instructions in order, reproduces mosh's fragments."""
    assert fragmenter.make_fragments(inst, IPV4_MTU) == sent


@pytest.mark.parametrize("path", SESSION_FILES, ids=lambda p: Path(p).stem)
def test_session_replays_byte_for_byte(path: Path) -> None:
    assemblies = {"c2s": FragmentAssembly(), "s2c": FragmentAssembly()}
    fragmenters = {"c2s": Fragmenter(), "s2c": Fragmenter()}
    pending: dict[str, list[Fragment]] = {"c2s": [], "s2c": []}
    completed = 0
    for datagram in load(path)["datagrams"]:
        direction = datagram["dir"]
        decoded = datagram["decoded"]
        packet = _check_packet(datagram)
        fragment = _check_fragment(packet.payload, decoded["fragment"])
        pending[direction].append(fragment)
        inst = assemblies[direction].add(fragment)
        if "instruction_bytes" not in decoded:
            assert inst is None
            continue
        assert inst is not None
        _check_instruction(inst, decoded)
        _check_diff(inst, decoded, direction)
        _check_refragment(fragmenters[direction], inst, pending[direction])
        pending[direction] = []
        completed += 1
    assert completed > 0
