"""AES-128-OCB3 through cryptography's AESOCB3 (OpenSSL): the fast backend when it loads."""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESOCB3

from moshz.crypto.aead import INTEGRITY_ERROR, TAG_SIZE
from moshz.errors import ProtocolError


class NativeOcb:
    """AES-128-OCB3 with a 12-byte nonce and a 16-byte tag, done by OpenSSL."""

    name = "native"

    def __init__(self, key: bytes) -> None:
        self._aead = AESOCB3(key)

    def encrypt(self, nonce: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
        """OCB-ENCRYPT: ciphertext followed by the 16-byte tag."""
        return self._aead.encrypt(nonce, plaintext, associated_data or None)

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes = b"") -> bytes:
        """OCB-DECRYPT: the plaintext, or ProtocolError if the data is short or not authentic."""
        if len(data) < TAG_SIZE:
            raise ProtocolError(INTEGRITY_ERROR)
        try:
            return self._aead.decrypt(nonce, data, associated_data or None)
        except InvalidTag:
            raise ProtocolError(INTEGRITY_ERROR) from None


def describe() -> str:
    """Which library does the work, for `moshz -v --version`."""
    import cryptography

    return f"cryptography {cryptography.__version__} AESOCB3"
