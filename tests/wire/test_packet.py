"""The datagram plaintext: timestamps, fragment bytes, nonce fields."""

from __future__ import annotations

import pytest

from moshz.errors import ProtocolError
from moshz.wire.packet import (
    NO_TIMESTAMP,
    Packet,
    decode_packet_plaintext,
    encode_packet_plaintext,
    timestamp16,
)


@pytest.mark.parametrize(
    ("now", "stamp"),
    [(0, 0), (28925, 28925), (0xFFFE, 0xFFFE), (0xFFFF, 0), (0x10000, 0), (0x3FFFF, 0), (0x1FFFE, 0xFFFE)],
)
def test_timestamp16_never_sends_the_reserved_value(now: int, stamp: int) -> None:
    assert timestamp16(now) == stamp


def test_plaintext_layout_matches_the_spec_example() -> None:
    plaintext = bytes.fromhex("70fdffff" "00000000000000018000") + b"\x78\x9c"
    packet = decode_packet_plaintext(0, plaintext)
    assert packet == Packet(0, 28925, NO_TIMESTAMP, plaintext[4:])
    assert encode_packet_plaintext(packet) == plaintext


def test_direction_and_seq_come_from_the_nonce() -> None:
    packet = Packet((1 << 63) | 5, 1, 2, b"")
    assert (packet.direction, packet.seq) == (1, 5)
    assert (Packet((1 << 63) - 1, 0, 0, b"").direction, Packet(7, 0, 0, b"").seq) == (0, 7)


def test_empty_payload_is_allowed_by_this_layer() -> None:
    assert decode_packet_plaintext(3, b"\x00\x01\x00\x02") == Packet(3, 1, 2, b"")


@pytest.mark.parametrize("length", [0, 1, 2, 3])
def test_plaintext_shorter_than_the_timestamps_is_refused(length: int) -> None:
    with pytest.raises(ProtocolError):
        decode_packet_plaintext(0, b"\x01" * length)
