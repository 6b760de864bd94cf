"""Instructions on the wire: zlib-compressed, cut to the MTU, reassembled.

PROTOCOL.md 4.7 (sizes), 5 (fragment header, sending, reassembly) and 3.6
(limits). Each fragment travels in its own datagram.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from moshz.errors import ProtocolError
from moshz.wire.messages import Instruction, decode_instruction, encode_instruction

IPV4_MTU = 1252  # 1280 minus IPv4 and UDP headers
IPV6_MTU = 1216  # 1280 minus IPv6, assumed extension headers and UDP
DEFAULT_SEND_MTU = 500  # before binding and after EMSGSIZE
RECEIVE_MTU = 2048  # receive buffer; never send a datagram larger than this
DATAGRAM_OVERHEAD = 28  # 8-byte nonce, 4 bytes of timestamps, 16-byte tag
FRAGMENT_HEADER_LEN = 10
MAX_INSTRUCTION_LEN = 2048 * 2048  # mosh inflates into a buffer of this size
MAX_FRAGMENTS = 0x8000  # fragment numbers have 15 bits
COMPRESS_LEVEL = 6

_HEADER = struct.Struct(">QH")
_FINAL = 0x8000


def fragment_payload_size(mtu: int) -> int:
    """How many compressed-instruction bytes fit in one datagram of ``mtu`` bytes."""
    return mtu - DATAGRAM_OVERHEAD - FRAGMENT_HEADER_LEN


@dataclass(frozen=True)
class Fragment:
    """One slice of a compressed instruction, as one datagram carries it."""

    id: int
    num: int
    final: bool
    contents: bytes


def encode_fragment(fragment: Fragment) -> bytes:
    """The 10-byte header followed by the slice."""
    flags = fragment.num | _FINAL if fragment.final else fragment.num
    return _HEADER.pack(fragment.id, flags) + fragment.contents


def decode_fragment(data: bytes) -> Fragment:
    """Parse a fragment from a packet payload."""
    if len(data) < FRAGMENT_HEADER_LEN:
        raise ProtocolError("fragment shorter than its header")
    ident, flags = _HEADER.unpack_from(data)
    return Fragment(ident, flags & ~_FINAL, bool(flags & _FINAL), data[FRAGMENT_HEADER_LEN:])


class Fragmenter:
    """The sender side: numbers instructions and cuts them into fragments."""

    def __init__(self) -> None:
        self._id = 0
        self._last: tuple[int, int, int, int, int, bytes] | None = None
        self._last_mtu = -1

    def make_fragments(self, instruction: Instruction, mtu: int) -> list[Fragment]:
        """Compress ``instruction`` and slice it for datagrams of ``mtu`` bytes.

        The id changes whenever anything but the diff (or the MTU) changed, so a
        retransmission of the same instruction keeps its id.
        """
        identity = (
            instruction.protocol_version,
            instruction.old_num,
            instruction.new_num,
            instruction.ack_num,
            instruction.throwaway_num,
            instruction.chaff,
        )
        if identity != self._last or mtu != self._last_mtu:
            self._id += 1
            self._last = identity
            self._last_mtu = mtu
        payload = zlib.compress(encode_instruction(instruction), COMPRESS_LEVEL)
        return self._slice(payload, fragment_payload_size(mtu))

    def _slice(self, payload: bytes, size: int) -> list[Fragment]:
        starts = range(0, len(payload), size)
        if len(starts) > MAX_FRAGMENTS:
            raise ValueError("instruction needs too many fragments")
        last = len(starts) - 1
        return [
            Fragment(self._id, num, num == last, payload[start : start + size])
            for num, start in enumerate(starts)
        ]


class FragmentAssembly:
    """The receiver side: one slot collecting the fragments of the newest id."""

    def __init__(self) -> None:
        self._id: int | None = None
        self._parts: dict[int, bytes] = {}
        self._total: int | None = None

    def _start(self, ident: int | None) -> None:
        self._id = ident
        self._parts = {}
        self._total = None

    def add(self, fragment: Fragment) -> Instruction | None:
        """Store a fragment; returns the instruction once all its fragments are in.

        A new id discards what was collected; a repeated fragment is ignored.
        """
        if fragment.id != self._id:
            self._start(fragment.id)
        elif fragment.num in self._parts:
            return None
        self._parts[fragment.num] = fragment.contents
        if fragment.final:
            self._total = fragment.num + 1
        self._check_numbers(fragment)
        if len(self._parts) != self._total:
            return None
        parts = self._parts
        self._start(self._id)
        return decode_instruction(inflate(b"".join([parts[n] for n in range(len(parts))])))

    def _check_numbers(self, fragment: Fragment) -> None:
        total = self._total
        if total is None:
            return
        highest = max(self._parts) if fragment.final else fragment.num
        if highest < total:
            return
        self._start(None)
        raise ProtocolError("fragment numbered past the final fragment")


def inflate(payload: bytes) -> bytes:
    """Decompress a complete zlib stream of at most MAX_INSTRUCTION_LEN bytes."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(payload, MAX_INSTRUCTION_LEN + 1)
    except zlib.error as exc:
        raise ProtocolError(f"bad compressed instruction: {exc}") from None
    if len(data) > MAX_INSTRUCTION_LEN:
        raise ProtocolError("instruction larger than 4 MiB")
    if not inflater.eof:
        raise ProtocolError("truncated compressed instruction")
    return data
