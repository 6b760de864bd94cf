"""The plaintext inside each datagram: two 16-bit timestamps, then one fragment.

PROTOCOL.md 3.4 and 4.1. The nonce travels in clear in front of the
ciphertext; it is kept here alongside the plaintext fields because its
direction bit and sequence number matter to the connection layer.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from moshz.errors import ProtocolError

NO_TIMESTAMP = 0xFFFF
SEQ_MASK = (1 << 63) - 1
_TIMESTAMPS = struct.Struct(">HH")
TIMESTAMPS_LEN = _TIMESTAMPS.size


@dataclass(frozen=True)
class Packet:
    """One datagram's nonce and decrypted contents."""

    nonce: int
    timestamp: int
    timestamp_reply: int
    payload: bytes

    @property
    def direction(self) -> int:
        """The sender's direction bit: 0 = to server, 1 = to client."""
        return self.nonce >> 63

    @property
    def seq(self) -> int:
        """The sender's 63-bit datagram counter."""
        return self.nonce & SEQ_MASK


def timestamp16(now: int) -> int:
    """The wire timestamp for ``now`` (ms); 0xFFFF is reserved, so it becomes 0."""
    stamp = now & 0xFFFF
    return 0 if stamp == NO_TIMESTAMP else stamp


def encode_packet_plaintext(packet: Packet) -> bytes:
    """The bytes to encrypt under ``packet.nonce``."""
    return _TIMESTAMPS.pack(packet.timestamp, packet.timestamp_reply) + packet.payload


def decode_packet_plaintext(nonce: int, plaintext: bytes) -> Packet:
    """Split a decrypted datagram into timestamps and fragment bytes."""
    if len(plaintext) < TIMESTAMPS_LEN:
        raise ProtocolError("packet plaintext shorter than its timestamps")
    timestamp, reply = _TIMESTAMPS.unpack_from(plaintext)
    return Packet(nonce, timestamp, reply, plaintext[TIMESTAMPS_LEN:])
