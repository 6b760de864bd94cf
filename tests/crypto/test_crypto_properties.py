"""Property tests: the backends agree, round-trip, and reject anything altered with ProtocolError only."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.crypto.ocb_pure import PureOcb
from moshz.crypto.session import (
    BLOCK_LIMIT,
    SHORT_ERROR,
    TO_CLIENT,
    TO_SERVER,
    KeyExhausted,
    Session,
    make_nonce,
)
from moshz.errors import ProtocolError
from tests.crypto.vectors import BACKENDS

keys = st.binary(min_size=16, max_size=16)
nonces = st.binary(min_size=12, max_size=12)
texts = st.binary(max_size=3000)
nonce_values = st.integers(min_value=0, max_value=2**64 - 1)


@settings(deadline=None)
@given(key=keys, nonce=nonces, plaintext=texts, aad=st.binary(max_size=40))
def test_backends_agree_and_round_trip(key, nonce, plaintext, aad):
    native_ocb = pytest.importorskip("moshz.crypto.ocb_native").NativeOcb
    pure, native = PureOcb(key), native_ocb(key)
    sealed = pure.encrypt(nonce, plaintext, aad)
    assert sealed == native.encrypt(nonce, plaintext, aad)
    assert len(sealed) == len(plaintext) + 16
    assert pure.decrypt(nonce, sealed, aad) == plaintext
    assert native.decrypt(nonce, sealed, aad) == plaintext


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=50)
@given(key=keys, nonce=nonce_values, plaintext=texts)
def test_session_round_trip(backend, key, nonce, plaintext):
    sealed = Session(key, backend).seal(nonce, plaintext)
    assert sealed[:8] == nonce.to_bytes(8, "big")
    assert Session(key, backend).open(sealed) == (nonce, plaintext)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=50)
@given(key=keys, nonce=nonce_values, plaintext=st.binary(max_size=1500), data=st.data())
def test_any_flipped_bit_is_rejected(backend, key, nonce, plaintext, data):
    session = Session(key, backend)
    sealed = bytearray(session.seal(nonce, plaintext))
    bit = data.draw(st.integers(min_value=0, max_value=8 * len(sealed) - 1))
    sealed[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(ProtocolError):
        session.open(bytes(sealed))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None, max_examples=50)
@given(key=keys, nonce=nonce_values, plaintext=st.binary(max_size=200), data=st.data())
def test_truncated_or_extended_datagrams_are_rejected(backend, key, nonce, plaintext, data):
    session = Session(key, backend)
    sealed = session.seal(nonce, plaintext)
    cut = data.draw(st.integers(min_value=0, max_value=len(sealed) - 1))
    with pytest.raises(ProtocolError):
        session.open(sealed[:cut])
    with pytest.raises(ProtocolError):
        session.open(sealed + data.draw(st.binary(min_size=1, max_size=32)))


@pytest.mark.parametrize("backend", BACKENDS)
@settings(deadline=None)
@given(key=keys, junk=st.binary(max_size=2048))
def test_random_datagrams_raise_protocol_error_only(backend, key, junk):
    with pytest.raises(ProtocolError):
        Session(key, backend).open(junk)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", [0, 1, 8, 23])
def test_short_datagram_message(backend, size):
    with pytest.raises(ProtocolError, match=SHORT_ERROR):
        Session(bytes(16), backend).open(bytes(size))


def test_make_nonce_sets_the_direction_bit():
    assert make_nonce(TO_SERVER, 5) == 5
    assert make_nonce(TO_CLIENT, 5) == (1 << 63) | 5
    for direction, seq in ((2, 0), (TO_SERVER, -1), (TO_CLIENT, 1 << 63)):
        with pytest.raises(ValueError):
            make_nonce(direction, seq)


def test_seal_counts_blocks_and_stops_at_two_to_the_47():
    session = Session(bytes(16), PureOcb)
    session.seal(0, b"")
    session.seal(1, bytes(16))
    session.seal(2, bytes(17))
    assert session.blocks_encrypted == 3
    session._blocks = BLOCK_LIMIT - 2  # as if 2^47 - 2 blocks had gone out already
    session.seal(3, bytes(16))
    with pytest.raises(KeyExhausted, match=r"Encrypted 2\^47 blocks."):
        session.seal(4, bytes(1))
    assert session.blocks_encrypted == BLOCK_LIMIT - 1


def test_a_nonce_is_never_sealed_twice():
    session = Session(bytes(16), PureOcb)
    session.seal(make_nonce(TO_SERVER, 7), b"a")
    session.seal(make_nonce(TO_CLIENT, 0), b"b")  # the other direction counts on its own
    for seq in (7, 6, 0):
        with pytest.raises(ValueError, match="sealed already"):
            session.seal(make_nonce(TO_SERVER, seq), b"a")
    with pytest.raises(ValueError, match="sealed already"):
        session.seal(make_nonce(TO_CLIENT, 0), b"b")
    session.seal(make_nonce(TO_SERVER, 9), b"c")  # gaps are fine
    assert session.blocks_encrypted == 3


def test_seal_rejects_a_nonce_beyond_64_bits():
    with pytest.raises(ValueError):
        Session(bytes(16), PureOcb).seal(1 << 64, b"x")
