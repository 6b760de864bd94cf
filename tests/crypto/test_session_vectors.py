"""Every datagram real mosh 1.4.0 sent opens to its recorded plaintext and re-seals byte for byte."""

from __future__ import annotations

import pytest

from moshz.crypto.key import parse_key
from moshz.crypto.session import TO_CLIENT, TO_SERVER, Session, make_nonce
from tests.crypto.vectors import BACKENDS, sessions

SESSIONS = sessions()
_DIRECTIONS = {"to_server": TO_SERVER, "to_client": TO_CLIENT}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name,capture", SESSIONS, ids=[name for name, _ in SESSIONS])
def test_every_datagram_opens_and_reseals(backend, name, capture):
    key = parse_key(capture["key"])
    assert key.hex() == capture["key_hex"]
    session = Session(key, backend)
    assert capture["datagrams"], name
    for datagram in capture["datagrams"]:
        wire = bytes.fromhex(datagram["hex"])
        decoded = datagram["decoded"]
        nonce, plaintext = session.open(wire)
        assert plaintext.hex() == decoded["plaintext"], datagram["index"]
        assert nonce == make_nonce(_DIRECTIONS[decoded["direction"]], decoded["seq"])
        assert nonce.to_bytes(8, "big").rjust(12, b"\0").hex() == decoded["nonce12"]
        assert session.seal(nonce, plaintext) == wire, datagram["index"]
