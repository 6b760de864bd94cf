"""AES-128 in pure Python, "byte-sliced": every block of a buffer goes through each step at once.

A whole buffer of 16-byte blocks is held as one big integer (big-endian, so byte 0 of the
buffer is the most significant byte). SubBytes is ``bytes.translate`` over the buffer; every
byte permutation (ShiftRows, the column rotations of MixColumns) is a handful of shifts and
masks of that integer; XORs and GF(2^8) doublings are integer operations over all bytes in
parallel. The Python-level work per round is constant, whatever the number of blocks, which is
what makes the pure backend fast enough for mosh datagrams.
"""

from __future__ import annotations

from typing import List, Sequence, Tuple

BLOCK = 16
_ROUNDS = 10


def _xtime(b: int) -> int:
    """Multiply a GF(2^8) element by x (i.e. 2) modulo the AES polynomial."""
    b <<= 1
    return (b ^ 0x11B) if b & 0x100 else b


def _build_sbox() -> tuple[bytes, bytes]:
    """The S-box (multiplicative inverse, then the affine map) and its inverse."""
    powers = []  # successive powers of the generator 3
    x = 1
    for _ in range(255):
        powers.append(x)
        x ^= _xtime(x)
    log = {p: i for i, p in enumerate(powers)}
    sbox = bytearray(256)
    inverse = bytearray(256)
    for x in range(256):
        inv = powers[-log[x] % 255] if x else 0
        s = inv ^ 0x63
        for shift in range(1, 5):
            s ^= ((inv << shift) | (inv >> (8 - shift))) & 0xFF
        sbox[x] = s
        inverse[s] = x
    return bytes(sbox), bytes(inverse)


SBOX, INV_SBOX = _build_sbox()

# A permutation "out byte i takes in byte src[i]" within every block.
_Perm = Sequence[int]
# It becomes a list of (left shift in bits, right shift in bits, mask) terms on the buffer integer.
_Terms = List[Tuple[int, int, int]]

_SHIFT_ROWS: _Perm = [4 * ((i // 4 + i % 4) % 4) + i % 4 for i in range(BLOCK)]
_INV_SHIFT_ROWS: _Perm = [4 * ((i // 4 - i % 4) % 4) + i % 4 for i in range(BLOCK)]
_ROT1: _Perm = [4 * (i // 4) + (i % 4 + 1) % 4 for i in range(BLOCK)]
_ROT2: _Perm = [4 * (i // 4) + (i % 4 + 2) % 4 for i in range(BLOCK)]


def _repeat_mask(pattern: bytes, nblocks: int) -> int:
    """A mask integer with the 16-byte pattern repeated over nblocks blocks."""
    return int.from_bytes(pattern * nblocks, "big")


def _perm_terms(src: _Perm, nblocks: int) -> _Terms:
    """Group the byte moves of a per-block permutation by distance into shift-and-mask terms."""
    by_delta: dict[int, bytearray] = {}
    for i, j in enumerate(src):
        by_delta.setdefault(j - i, bytearray(BLOCK))[i] = 0xFF
    terms = []
    for delta, pattern in sorted(by_delta.items()):
        left, right = (8 * delta, 0) if delta >= 0 else (0, -8 * delta)
        terms.append((left, right, _repeat_mask(bytes(pattern), nblocks)))
    return terms


def _permute(x: int, terms: _Terms) -> int:
    """Apply a per-block byte permutation to every block of the buffer integer."""
    out = 0
    for left, right, mask in terms:
        if left:
            out |= (x << left) & mask
        elif right:
            out |= (x >> right) & mask
        else:
            out |= x & mask
    return out


class _Layout:
    """Masks for buffers of one size (they depend on the block count only)."""

    __slots__ = ("high1", "inv_shift_rows", "low7", "nbytes", "rot1", "rot2", "shift_rows")

    def __init__(self, nblocks: int) -> None:
        self.nbytes = nblocks * BLOCK
        self.shift_rows = _perm_terms(_SHIFT_ROWS, nblocks)
        self.inv_shift_rows = _perm_terms(_INV_SHIFT_ROWS, nblocks)
        self.rot1 = _perm_terms(_ROT1, nblocks)
        self.rot2 = _perm_terms(_ROT2, nblocks)
        self.low7 = _repeat_mask(b"\x7f" * BLOCK, nblocks)
        self.high1 = _repeat_mask(b"\x01" * BLOCK, nblocks)

    def xtime(self, x: int) -> int:
        """Double every byte in GF(2^8): shift within bytes, reduce where the top bit fell out."""
        return ((x & self.low7) << 1) ^ (((x >> 7) & self.high1) * 0x1B)

    def mix_columns(self, z: int) -> int:
        """MixColumns of every column: b_r = a_{r+1}^a_{r+2}^a_{r+3} ^ 2*(a_r^a_{r+1})."""
        r1 = _permute(z, self.rot1)
        a = z ^ r1
        return r1 ^ _permute(a, self.rot2) ^ self.xtime(a)

    def inv_mix_columns(self, z: int) -> int:
        """InvMixColumns as MixColumns after adding 4*(a_r ^ a_{r+2}) to every byte."""
        return self.mix_columns(z ^ self.xtime(self.xtime(z ^ _permute(z, self.rot2))))


_LAYOUTS: dict[int, _Layout] = {}
_CACHE_LIMIT = 160  # more than the block counts of any datagram (2048 bytes = 128 blocks) + 2


def _layout(nblocks: int) -> _Layout:
    """The (cached) masks for a buffer of nblocks blocks."""
    layout = _LAYOUTS.get(nblocks)
    if layout is None:
        if len(_LAYOUTS) >= _CACHE_LIMIT:
            _LAYOUTS.clear()
        layout = _LAYOUTS[nblocks] = _Layout(nblocks)
    return layout


def expand_key(key: bytes) -> list[bytes]:
    """The 11 AES-128 round keys (FIPS 197 key expansion)."""
    if len(key) != BLOCK:
        raise ValueError("AES-128 needs a 16-byte key")
    words = [key[i : i + 4] for i in range(0, BLOCK, 4)]
    rcon = 1
    for i in range(4, 4 * (_ROUNDS + 1)):
        temp = words[i - 1]
        if i % 4 == 0:
            temp = (temp[1:] + temp[:1]).translate(SBOX)
            temp = bytes([temp[0] ^ rcon]) + temp[1:]
            rcon = _xtime(rcon)
        words.append(bytes(a ^ b for a, b in zip(words[i - 4], temp)))
    return [b"".join(words[4 * r : 4 * r + 4]) for r in range(_ROUNDS + 1)]


class Aes128:
    """AES-128 encryption and decryption of many independent blocks in one call (ECB style)."""

    def __init__(self, key: bytes) -> None:
        self._round_keys = expand_key(key)
        self._repeated: dict[int, list[int]] = {}

    def _keys(self, nblocks: int) -> list[int]:
        """The round keys repeated over nblocks blocks, as integers (cached per size)."""
        keys = self._repeated.get(nblocks)
        if keys is None:
            if len(self._repeated) >= _CACHE_LIMIT:
                self._repeated.clear()
            keys = [_repeat_mask(rk, nblocks) for rk in self._round_keys]
            self._repeated[nblocks] = keys
        return keys

    def _plan(self, data: bytes) -> tuple[_Layout, list[int]]:
        """The layout and repeated round keys for data of whole 16-byte blocks."""
        nblocks, rest = divmod(len(data), BLOCK)
        if rest:
            raise ValueError("data must be whole 16-byte blocks")
        return _layout(nblocks), self._keys(nblocks)

    def encrypt_blocks(self, data: bytes) -> bytes:
        """Encrypt every 16-byte block of data (length must be a multiple of 16)."""
        if not data:
            return b""
        layout, keys = self._plan(data)
        n = layout.nbytes
        x = int.from_bytes(data, "big") ^ keys[0]
        for rnd in range(1, _ROUNDS + 1):
            y = int.from_bytes(x.to_bytes(n, "big").translate(SBOX), "big")
            z = _permute(y, layout.shift_rows)
            if rnd != _ROUNDS:
                z = layout.mix_columns(z)
            x = z ^ keys[rnd]
        return x.to_bytes(n, "big")

    def decrypt_blocks(self, data: bytes) -> bytes:
        """Decrypt every 16-byte block of data (length must be a multiple of 16)."""
        if not data:
            return b""
        layout, keys = self._plan(data)
        n = layout.nbytes
        x = int.from_bytes(data, "big") ^ keys[_ROUNDS]
        for rnd in range(_ROUNDS - 1, -1, -1):
            z = _permute(x, layout.inv_shift_rows)
            y = int.from_bytes(z.to_bytes(n, "big").translate(INV_SBOX), "big") ^ keys[rnd]
            x = layout.inv_mix_columns(y) if rnd else y
        return x.to_bytes(n, "big")
