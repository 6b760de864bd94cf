"""AES-128-OCB3 (RFC 7253, 128-bit tag) on the stdlib only: the backend that always works.

OCB's blocks are independent once their offsets are known, so a datagram is handled with one
batched AES call: all the message blocks, plus the pad and the tag input, go through
``Aes128`` together. Offsets are ``Offset_0`` (from the nonce) XOR a per-key running XOR of
the L values, which is precomputed once and sliced.
"""

from __future__ import annotations

import hmac

from moshz.crypto.aead import INTEGRITY_ERROR, NONCE_SIZE, TAG_SIZE
from moshz.crypto.aes_pure import BLOCK, Aes128
from moshz.errors import ProtocolError

_MASK64 = (1 << 64) - 1
_MASK128 = (1 << 128) - 1
_REDUCE = (1 << 128) | 0x87  # x^128 = x^7 + x^2 + x + 1
_STRETCH_CACHE_LIMIT = 16


def _double(x: int) -> int:
    """RFC 7253 double(): multiply by x in GF(2^128)."""
    x <<= 1
    return (x ^ _REDUCE) if x >> 128 else x


def _int(data: bytes) -> int:
    """Big-endian integer of a byte string."""
    return int.from_bytes(data, "big")


def _block(x: int) -> bytes:
    """One 16-byte block from an integer."""
    return x.to_bytes(BLOCK, "big")


def _padded(tail: bytes) -> int:
    """A final partial block with the 10* padding, as an integer."""
    return _int(tail + b"\x80" + bytes(BLOCK - 1 - len(tail)))


def _xor_fold(x: int, nblocks: int) -> int:
    """XOR of the nblocks 128-bit blocks packed in x (log-depth halving)."""
    acc = 0
    while nblocks > 1:
        if nblocks & 1:
            acc ^= x & _MASK128
            x >>= 128
            nblocks -= 1
        nblocks //= 2
        bits = 128 * nblocks
        x = (x >> bits) ^ (x & ((1 << bits) - 1))
    return acc ^ x


class PureOcb:
    """AES-128-OCB3 with a 12-byte nonce and a 16-byte tag, implemented in Python."""

    name = "pure"

    def __init__(self, key: bytes) -> None:
        self._aes = Aes128(key)
        self._l_star = _int(self._aes.encrypt_blocks(bytes(BLOCK)))
        self._l_dollar = _double(self._l_star)
        self._l: list[int] = [_double(self._l_dollar)]
        self._prefix = b""  # block i: XOR of L_ntz(j) for j = 1..i+1
        self._prefix_last = 0
        self._stretches: dict[int, int] = {}

    def _prefix_blocks(self, nblocks: int) -> bytes:
        """The running XORs of L_ntz(i) for i = 1..nblocks, as concatenated blocks."""
        have = len(self._prefix) // BLOCK
        if have < nblocks:
            grown = [self._prefix]
            value = self._prefix_last
            for i in range(have + 1, max(nblocks, 2 * have) + 1):
                ntz = (i & -i).bit_length() - 1
                while len(self._l) <= ntz:
                    self._l.append(_double(self._l[-1]))
                value ^= self._l[ntz]
                grown.append(_block(value))
            self._prefix = b"".join(grown)
            self._prefix_last = value
        return self._prefix[: nblocks * BLOCK]

    def _offset0(self, nonce: bytes) -> int:
        """Offset_0 of RFC 7253 section 4.2, with the Ktop stretch cached by the nonce's top bits."""
        if len(nonce) != NONCE_SIZE:
            raise ValueError("OCB nonce must be 12 bytes")
        full = _int(b"\x00\x00\x00\x01" + nonce)
        bottom = full & 63
        top = full ^ bottom
        stretch = self._stretches.get(top)
        if stretch is None:
            ktop = _int(self._aes.encrypt_blocks(_block(top)))
            stretch = (ktop << 64) | ((ktop >> 64) ^ ((ktop >> 56) & _MASK64))
            if len(self._stretches) >= _STRETCH_CACHE_LIMIT:
                self._stretches.clear()
            self._stretches[top] = stretch
        return (stretch >> (64 - bottom)) & _MASK128

    def _offsets(self, offset0: int, nblocks: int) -> tuple[int, int]:
        """(Offset_1..Offset_m packed into one integer, Offset_m) for m = nblocks."""
        if not nblocks:
            return 0, offset0
        prefix = self._prefix_blocks(nblocks)
        packed = _int(prefix) ^ _int(_block(offset0) * nblocks)
        return packed, packed & _MASK128

    def _hash(self, associated_data: bytes) -> int:
        """HASH(K, A) of RFC 7253 section 4.1 (zero for the empty string mosh uses)."""
        if not associated_data:
            return 0
        nblocks, rest = divmod(len(associated_data), BLOCK)
        whole = nblocks * BLOCK
        offsets, last = self._offsets(0, nblocks)
        blocks = [(_int(associated_data[:whole]) ^ offsets).to_bytes(whole, "big")]
        if rest:
            blocks.append(_block(_padded(associated_data[whole:]) ^ last ^ self._l_star))
        enciphered = self._aes.encrypt_blocks(b"".join(blocks))
        return _xor_fold(_int(enciphered), len(enciphered) // BLOCK)

    def encrypt(self, nonce: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
        """OCB-ENCRYPT: ciphertext followed by the 16-byte tag."""
        nblocks, rest = divmod(len(plaintext), BLOCK)
        whole = nblocks * BLOCK
        offsets, offset = self._offsets(self._offset0(nonce), nblocks)
        body = _int(plaintext[:whole])
        checksum = _xor_fold(body, nblocks)
        batch = [(body ^ offsets).to_bytes(whole, "big")]
        if rest:
            offset ^= self._l_star
            checksum ^= _padded(plaintext[whole:])
            batch.append(_block(offset))
        batch.append(_block(checksum ^ offset ^ self._l_dollar))
        out = self._aes.encrypt_blocks(b"".join(batch))
        parts = [(_int(out[:whole]) ^ offsets).to_bytes(whole, "big")]
        if rest:
            pad = out[whole : whole + rest]
            parts.append((_int(plaintext[whole:]) ^ _int(pad)).to_bytes(rest, "big"))
        tag = _int(out[-TAG_SIZE:]) ^ self._hash(associated_data)
        parts.append(_block(tag))
        return b"".join(parts)

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes = b"") -> bytes:
        """OCB-DECRYPT: the plaintext, or ProtocolError if the data is short or not authentic."""
        if len(data) < TAG_SIZE:
            raise ProtocolError(INTEGRITY_ERROR)
        ciphertext, tag = data[:-TAG_SIZE], data[-TAG_SIZE:]
        nblocks, rest = divmod(len(ciphertext), BLOCK)
        whole = nblocks * BLOCK
        offsets, offset = self._offsets(self._offset0(nonce), nblocks)
        # The tag is checked by deciphering it: AES is a permutation, so comparing
        # DECIPHER(tag ^ HASH) with the tag input is the same test as RFC 7253's.
        batch = (_int(ciphertext[:whole]) ^ offsets).to_bytes(whole, "big")
        batch += _block(_int(tag) ^ self._hash(associated_data))
        out = self._aes.decrypt_blocks(batch)
        body = _int(out[:whole]) ^ offsets
        checksum = _xor_fold(body, nblocks)
        parts = [body.to_bytes(whole, "big")]
        if rest:
            offset ^= self._l_star
            pad = self._aes.encrypt_blocks(_block(offset))[:rest]
            tail = (_int(ciphertext[whole:]) ^ _int(pad)).to_bytes(rest, "big")
            checksum ^= _padded(tail)
            parts.append(tail)
        expected = _block(checksum ^ offset ^ self._l_dollar)
        if not hmac.compare_digest(expected, out[-TAG_SIZE:]):
            raise ProtocolError(INTEGRITY_ERROR)
        return b"".join(parts)
