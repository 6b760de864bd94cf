"""A catalog of hostile datagrams for one session: garbage, forgeries and authentic nonsense.

Unauthenticated ones (random bytes, cut or flipped datagrams, another key) must fail
decryption. Authentic ones are sealed with the session key but carry malformed contents
below the crypto layer (no timestamps, a cut fragment header, a payload that is not zlib,
a zlib bomb, a protobuf that is not an instruction, a foreign protocol version, a diff that
does not parse, a base state nobody has) or travel in the wrong direction. They use a low
sequence number, as an old datagram would: nothing in them may change the session.
"""

from __future__ import annotations

import random
import zlib
from typing import NamedTuple

from moshz.crypto.session import TO_CLIENT, TO_SERVER, Session, make_nonce
from moshz.wire.fragment import Fragment, encode_fragment
from moshz.wire.messages import (
    PROTOCOL_VERSION,
    Instruction,
    Keystroke,
    encode_instruction,
    encode_user_message,
)
from moshz.wire.packet import Packet, encode_packet_plaintext

MAX_UDP_PAYLOAD = 65507  # the largest datagram IPv4 carries
OLD_SEQ = 1
FRESH_STATE = 1 << 40  # a state number neither side has reached
BOMB_SIZE = 8 << 20  # inflates past the 4 MiB instruction limit
BOMB_PIECE = 1200  # compressed bytes per fragment
OTHER_KEY = bytes(range(16))
JUNK_ID = 1 << 62  # instruction ids near this one: no genuine sender reaches them


class Hostile(NamedTuple):
    """One datagram to throw at a peer, with a name for failure messages."""

    name: str
    data: bytes
    authentic: bool = False  # sealed with the session key


def instruction(**fields: object) -> bytes:
    """An encoded instruction: a harmless empty one, with `fields` changed."""
    values: dict = dict(
        protocol_version=PROTOCOL_VERSION,
        old_num=0,
        new_num=0,
        ack_num=0,
        throwaway_num=0,
        diff=b"",
        chaff=b"",
    )
    values.update(fields)
    return encode_instruction(Instruction(**values))


def noise(chooser: random.Random, size: int) -> bytes:
    """`size` random bytes from a seeded generator (Random.randbytes is Python 3.9+)."""
    return chooser.getrandbits(8 * size).to_bytes(size, "big")


def fragment_payload(compressed: bytes, ident: int, final: bool = True, num: int = 0) -> bytes:
    """A fragment of instruction `ident` carrying `compressed`."""
    return encode_fragment(Fragment(ident, num, final, compressed))


def sealed(key: bytes, direction: int, payload: bytes, timestamps: bool = True) -> bytes:
    """A datagram sealed under `key` with an old sequence number; `payload` after timestamps."""
    nonce = make_nonce(direction, OLD_SEQ)
    plaintext = (
        encode_packet_plaintext(Packet(nonce, 1, 0xFFFF, payload)) if timestamps else payload
    )
    return Session(key).seal(nonce, plaintext)


def _unauthenticated(key: bytes, direction: int, chooser: random.Random) -> list[Hostile]:
    """Datagrams that must fail decryption."""
    plausible = sealed(key, direction, fragment_payload(zlib.compress(instruction()), JUNK_ID))
    flipped = bytearray(plausible)
    flipped[-1] ^= 1
    return [
        Hostile("empty", b""),
        Hostile("one byte", b"\x00"),
        Hostile("nonce only", plausible[:8]),
        Hostile("nonce and a tag", plausible[:8] + noise(chooser, 16)),
        Hostile("random 100 bytes", noise(chooser, 100)),
        Hostile("random 1400 bytes", noise(chooser, 1400)),
        Hostile("random, largest datagram", noise(chooser, MAX_UDP_PAYLOAD)),
        Hostile("cut by one byte", plausible[:-1]),
        Hostile("tag flipped", bytes(flipped)),
        Hostile("zero-padded", plausible + bytes(32)),
        Hostile("another key", sealed(OTHER_KEY, direction, plausible[8:])),
    ]


def _bomb_fragments(ident: int) -> list[bytes]:
    """A zlib bomb cut into fragments small enough to be received: it inflates past the limit."""
    compressed = zlib.compress(bytes(BOMB_SIZE), 9)
    pieces = [compressed[i : i + BOMB_PIECE] for i in range(0, len(compressed), BOMB_PIECE)]
    last = len(pieces) - 1
    return [fragment_payload(piece, ident, i == last, i) for i, piece in enumerate(pieces)]


def _authentic_payloads(chooser: random.Random, base: int) -> list[tuple[str, bytes]]:
    """(name, fragment bytes) of nonsense below the crypto layer; each has its own instruction id.

    Diffs start from state `base` (one the receiver holds, where known) to a fresh state.
    """
    keys = encode_user_message([Keystroke(b"X")])
    named = [
        ("not zlib", noise(chooser, 64)),
        ("zlib of random bytes", zlib.compress(noise(chooser, 200))),
        ("protocol version 99", zlib.compress(instruction(protocol_version=99, diff=keys))),
        (
            "diff that does not parse",
            zlib.compress(instruction(old_num=base, new_num=FRESH_STATE, diff=b"\x0a\x09\x12")),
        ),
        ("unknown base state", zlib.compress(instruction(old_num=FRESH_STATE, diff=keys))),
    ]
    payloads = [(name, fragment_payload(data, JUNK_ID + i)) for i, (name, data) in enumerate(named)]
    payloads.append(("cut fragment header", b"\x00" * 5))
    payloads.append(("last fragment number", fragment_payload(b"x", JUNK_ID - 1, True, 0x7FFF)))
    bomb = _bomb_fragments(JUNK_ID - 2)
    payloads += [(f"zlib bomb {i + 1}/{len(bomb)}", piece) for i, piece in enumerate(bomb)]
    return payloads


def _authentic(key: bytes, direction: int, chooser: random.Random, base: int) -> list[Hostile]:
    """Datagrams sealed with the session key whose contents are nonsense."""
    bare = sealed(key, direction, b"\x01", timestamps=False)
    found = [Hostile("no timestamps", bare, True)]
    for name, payload in _authentic_payloads(chooser, base):
        found.append(Hostile(name, sealed(key, direction, payload), True))
    harmless = fragment_payload(zlib.compress(instruction()), JUNK_ID - 3)
    found.append(Hostile("wrong direction", sealed(key, 1 - direction, harmless), True))
    return found


def catalog(key: bytes, to_server: bool, base: int = 0, seed: int = 0) -> list[Hostile]:
    """Every hostile datagram for the server (`to_server`) or the client of a session.

    `base` is the number of a remote state the receiver holds (0 early in a session).
    """
    chooser = random.Random(seed)
    direction = TO_SERVER if to_server else TO_CLIENT
    return _unauthenticated(key, direction, chooser) + _authentic(key, direction, chooser, base)
