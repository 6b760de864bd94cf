"""Fragment headers, the sender's id rule and slicing, and one-slot reassembly."""

from __future__ import annotations

import random
import zlib

import pytest

from moshz.errors import ProtocolError
from moshz.wire.fragment import (
    DEFAULT_SEND_MTU,
    IPV4_MTU,
    IPV6_MTU,
    MAX_INSTRUCTION_LEN,
    Fragment,
    FragmentAssembly,
    Fragmenter,
    decode_fragment,
    encode_fragment,
    fragment_payload_size,
    inflate,
)
from moshz.wire.messages import Instruction, encode_instruction


def _inst(new_num: int = 1, diff: bytes = b"", chaff: bytes = b"") -> Instruction:
    return Instruction(2, 0, new_num, 0, 0, diff, chaff)


def _noise(size: int, seed: int = 1) -> bytes:
    """Incompressible but reproducible bytes."""
    return random.Random(seed).getrandbits(8 * size).to_bytes(size, "little")


def _compressed(inst: Instruction) -> bytes:
    return zlib.compress(encode_instruction(inst), 6)


def test_payload_sizes_per_mtu() -> None:
    assert fragment_payload_size(IPV4_MTU) == 1214
    assert fragment_payload_size(IPV6_MTU) == 1178
    assert fragment_payload_size(DEFAULT_SEND_MTU) == 462


def test_header_layout() -> None:
    fragment = Fragment(0x0102030405060708, 0x1234, True, b"zz")
    data = bytes.fromhex("0102030405060708" "9234") + b"zz"
    assert encode_fragment(fragment) == data
    assert decode_fragment(data) == fragment
    assert decode_fragment(data[:8] + b"\x7f\xff") == Fragment(0x0102030405060708, 0x7FFF, False, b"")


@pytest.mark.parametrize("length", range(10))
def test_short_fragment_is_refused(length: int) -> None:
    with pytest.raises(ProtocolError):
        decode_fragment(bytes(length))


def test_first_id_is_one_and_ids_follow_mosh_rules() -> None:
    fragmenter = Fragmenter()
    first = fragmenter.make_fragments(_inst(), IPV4_MTU)
    assert [f.id for f in first] == [1]
    assert fragmenter.make_fragments(_inst(), IPV4_MTU)[0].id == 1  # retransmission
    assert fragmenter.make_fragments(_inst(), IPV6_MTU)[0].id == 2  # MTU changed
    assert fragmenter.make_fragments(_inst(chaff=b"c"), IPV6_MTU)[0].id == 3
    assert fragmenter.make_fragments(_inst(new_num=2), IPV6_MTU)[0].id == 4


def test_slices_fill_the_mtu_and_only_the_last_is_final() -> None:
    inst = _inst(diff=_noise(3000))
    fragments = Fragmenter().make_fragments(inst, DEFAULT_SEND_MTU)
    assert [len(f.contents) for f in fragments[:-1]] == [462] * (len(fragments) - 1)
    assert [f.num for f in fragments] == list(range(len(fragments)))
    assert [f.final for f in fragments] == [False] * (len(fragments) - 1) + [True]
    assert b"".join(f.contents for f in fragments) == _compressed(inst)


def test_too_many_fragments_is_a_programming_error() -> None:
    inst = _inst(chaff=_noise(0x8000 + 100))
    with pytest.raises(ValueError):
        Fragmenter().make_fragments(inst, 39)


def test_assembly_accepts_any_order_and_ignores_duplicates() -> None:
    inst = _inst(diff=_noise(1500))
    fragments = Fragmenter().make_fragments(inst, DEFAULT_SEND_MTU)
    assembly = FragmentAssembly()
    order = [fragments[-1], fragments[1], fragments[1], fragments[0]] + fragments[2:-1]
    results = [assembly.add(f) for f in order]
    assert results[:-1] == [None] * (len(order) - 1)
    assert results[-1] == inst
    assert assembly.add(fragments[0]) is None  # a late duplicate starts afresh


def test_a_new_id_discards_the_older_instruction() -> None:
    older = Fragmenter().make_fragments(_inst(diff=_noise(600)), DEFAULT_SEND_MTU)
    newer = _inst(new_num=9)
    assembly = FragmentAssembly()
    assert assembly.add(older[0]) is None
    assert assembly.add(Fragment(7, 0, True, _compressed(newer))) == newer
    assert assembly.add(older[1]) is None


def test_completed_id_can_complete_again() -> None:
    inst = _inst()
    fragment = Fragment(1, 0, True, _compressed(inst))
    assembly = FragmentAssembly()
    assert assembly.add(fragment) == inst
    assert assembly.add(fragment) == inst


@pytest.mark.parametrize(
    "nums",
    [
        [(5, False), (3, True)],  # final below an earlier fragment
        [(3, True), (4, False)],  # a fragment past the final one
        [(3, True), (1, False), (0, True)],
    ],
)
def test_inconsistent_final_flags_are_refused(nums: list[tuple[int, bool]]) -> None:
    assembly = FragmentAssembly()
    with pytest.raises(ProtocolError, match="past the final"):
        for num, final in nums:
            assembly.add(Fragment(4, num, final, b"x"))
    inst = _inst()
    assert assembly.add(Fragment(4, 0, True, _compressed(inst))) == inst


@pytest.mark.parametrize("payload", [b"", b"not zlib", zlib.compress(b"abc")[:-1]])
def test_bad_zlib_is_refused(payload: bytes) -> None:
    with pytest.raises(ProtocolError):
        inflate(payload)


def test_inflate_limit_is_four_mebibytes() -> None:
    assert len(inflate(zlib.compress(bytes(MAX_INSTRUCTION_LEN)))) == MAX_INSTRUCTION_LEN
    with pytest.raises(ProtocolError, match="4 MiB"):
        inflate(zlib.compress(bytes(MAX_INSTRUCTION_LEN + 1)))


def test_trailing_bytes_after_the_stream_are_ignored() -> None:
    assert inflate(zlib.compress(b"abc") + b"junk") == b"abc"


def test_a_bad_instruction_inside_good_zlib_is_refused() -> None:
    with pytest.raises(ProtocolError):
        FragmentAssembly().add(Fragment(1, 0, True, zlib.compress(b"\x08\x03")))
