"""Sealing and opening mosh datagrams: 8-byte nonce, then AES-128-OCB3 ciphertext and tag.

PROTOCOL 3.3-3.6: the OCB nonce is 4 zero bytes and the 8 transmitted bytes; the nonce value
is ``(direction << 63) | seq``; one key serves both directions and at most 2^47 blocks. OCB's
security rests on never sealing two messages under one nonce, so a Session refuses any nonce
not above the last one it sealed in the same direction.
"""

from __future__ import annotations

from typing import Callable

from moshz.crypto.aead import TAG_SIZE, Aead
from moshz.crypto.backend import make_aead
from moshz.errors import ProtocolError

TO_SERVER = 0
TO_CLIENT = 1
NONCE_BYTES = 8
OVERHEAD = NONCE_BYTES + TAG_SIZE
BLOCK_LIMIT = 1 << 47
_NONCE_PAD = bytes(4)
_NONCE_LIMIT = 1 << 64
SHORT_ERROR = "Ciphertext must contain nonce and tag."


class KeyExhausted(Exception):
    """Raised instead of sealing past 2^47 blocks under one key (fatal in mosh too)."""


def make_nonce(direction: int, seq: int) -> int:
    """The 64-bit nonce value for a direction (TO_SERVER/TO_CLIENT) and a 63-bit sequence number."""
    if direction not in (TO_SERVER, TO_CLIENT) or not 0 <= seq < 1 << 63:
        raise ValueError("bad direction or sequence number")
    return (direction << 63) | seq


class Session:
    """One session key, sealing and opening whole datagrams."""

    def __init__(self, key: bytes, aead_factory: Callable[[bytes], Aead] = make_aead) -> None:
        self._aead = aead_factory(key)
        self._blocks = 0
        self._next_nonce = [make_nonce(TO_SERVER, 0), make_nonce(TO_CLIENT, 0)]

    @property
    def blocks_encrypted(self) -> int:
        """16-byte blocks sealed so far (a partial block counts as one)."""
        return self._blocks

    def seal(self, nonce: int, plaintext: bytes) -> bytes:
        """The datagram: nonce (8 bytes, big-endian) || ciphertext || tag."""
        if not 0 <= nonce < _NONCE_LIMIT:
            raise ValueError("nonce must fit in 64 bits")
        direction = nonce >> 63
        if nonce < self._next_nonce[direction]:
            raise ValueError(f"nonce {nonce:#x} was sealed already or is out of order")
        blocks = self._blocks + (len(plaintext) + 15) // 16
        if blocks >= BLOCK_LIMIT:
            raise KeyExhausted("Encrypted 2^47 blocks.")
        self._blocks = blocks
        self._next_nonce[direction] = nonce + 1
        head = nonce.to_bytes(NONCE_BYTES, "big")
        return head + self._aead.encrypt(_NONCE_PAD + head, plaintext)

    def open(self, datagram: bytes) -> tuple[int, bytes]:
        """(nonce value, plaintext) of an authentic datagram; ProtocolError for anything else."""
        if len(datagram) < OVERHEAD:
            raise ProtocolError(SHORT_ERROR)
        head = bytes(datagram[:NONCE_BYTES])
        plaintext = self._aead.decrypt(_NONCE_PAD + head, bytes(datagram[NONCE_BYTES:]))
        return int.from_bytes(head, "big"), plaintext
