"""RFC 7253 Appendix A on both backends: the 16 samples and the iterative test."""

from __future__ import annotations

import pytest

from moshz.errors import ProtocolError
from tests.crypto.vectors import BACKENDS, load

RFC = load("ocb3_rfc7253.json")


def _h(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("vector", RFC["vectors"], ids=lambda v: v["nonce"][-2:])
def test_sample_encrypts_and_decrypts(backend, vector):
    aead = backend(_h(vector["key"]))
    nonce, aad, plaintext = _h(vector["nonce"]), _h(vector["aad"]), _h(vector["plaintext"])
    sealed = aead.encrypt(nonce, plaintext, aad)
    assert sealed.hex() == vector["ciphertext_and_tag"]
    assert sealed[:-16].hex() == vector["ciphertext"] and sealed[-16:].hex() == vector["tag"]
    assert aead.decrypt(nonce, sealed, aad) == plaintext


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("vector", RFC["vectors"], ids=lambda v: v["nonce"][-2:])
def test_sample_with_wrong_associated_data_is_rejected(backend, vector):
    aead = backend(_h(vector["key"]))
    with pytest.raises(ProtocolError, match="Packet failed integrity check."):
        aead.decrypt(_h(vector["nonce"]), _h(vector["ciphertext_and_tag"]), b"x" + _h(vector["aad"]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_iterative_test(backend):
    test = RFC["iterative_test"]
    aead = backend(_h(test["key"]))
    output = []
    for i in range(128):
        s = bytes(i)
        output.append(aead.encrypt((3 * i + 1).to_bytes(12, "big"), s, s))
        output.append(aead.encrypt((3 * i + 2).to_bytes(12, "big"), s, b""))
        output.append(aead.encrypt((3 * i + 3).to_bytes(12, "big"), b"", s))
    final = aead.encrypt((385).to_bytes(12, "big"), b"", b"".join(output))
    assert final.hex() == test["expected_output"]
