"""What every AES-128-OCB3 backend offers, and the constants they share."""

from __future__ import annotations

from typing import Protocol

TAG_SIZE = 16
NONCE_SIZE = 12
INTEGRITY_ERROR = "Packet failed integrity check."


class Aead(Protocol):
    """AES-128-OCB3 under one key: 12-byte nonces, 16-byte tags appended to the ciphertext."""

    name: str

    def encrypt(self, nonce: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
        """Ciphertext followed by the tag."""

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes = b"") -> bytes:
        """The plaintext; ProtocolError when data is shorter than a tag or not authentic."""
