"""MOSHZ_CRYPTO: auto takes native only when it loads and works, and says why it did not."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from moshz.crypto import backend
from moshz.crypto.ocb_pure import PureOcb
from moshz.errors import UsageError

REPO = Path(__file__).resolve().parents[2]

# Runs in a child Python: makes "cryptography" unimportable, then reports the choice.
_BLOCKED_CHILD = textwrap.dedent(
    """
    import sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == "cryptography":
                raise ImportError("blocked for a test: " + name)

    sys.meta_path.insert(0, Block())
    from moshz.crypto import backend
    try:
        print(backend.BACKEND.name, "|", backend.BACKEND.reason)
        print(type(backend.make_aead(bytes(16))).__name__)
    except Exception as exc:
        print(type(exc).__name__, "|", exc)
    """
)


def _raiser(exc):
    def load():
        raise exc

    return load


class UnsupportedAlgorithm(Exception):
    """Stands in for cryptography.exceptions.UnsupportedAlgorithm (an OpenSSL without OCB)."""


@pytest.mark.parametrize(
    "exc,reason",
    [
        (ImportError("No module named 'cryptography'"), "cryptography not importable: No module"),
        (ImportError("libc.so.6: version `GLIBC_2.34' not found"), "not importable: libc.so.6"),
        (OSError("wrong ELF class: ELFCLASS64"), "unusable: OSError: wrong ELF class"),
        (UnsupportedAlgorithm("OCB3 is not supported"), "unusable: UnsupportedAlgorithm: OCB3"),
        (RuntimeError("bad\nresult"), "unusable: RuntimeError: bad result"),
    ],
)
def test_auto_falls_back_to_pure_with_a_reason(exc, reason):
    chosen = backend.select_backend("auto", native=_raiser(exc))
    assert chosen.info.name == "pure" and chosen.factory is PureOcb
    assert reason in chosen.info.reason and "\n" not in chosen.info.reason


def test_forced_native_that_fails_is_a_usage_error():
    with pytest.raises(UsageError, match="MOSHZ_CRYPTO=native, but cryptography not importable"):
        backend.select_backend("native", native=_raiser(ImportError("nope")))


def test_bad_value_is_a_usage_error():
    with pytest.raises(UsageError, match="must be auto, native or pure"):
        backend.select_backend("fast")


@pytest.mark.parametrize("choice", ["pure", " PURE "])
def test_pure_is_never_native(choice):
    chosen = backend.select_backend(choice, native=_raiser(AssertionError("not called")))
    assert chosen.info == backend.BackendInfo("pure", "MOSHZ_CRYPTO=pure")


@pytest.mark.parametrize("choice", ["", "auto", "native"])
def test_native_chosen_when_it_works(choice):
    pytest.importorskip("cryptography.hazmat.primitives.ciphers.aead")
    chosen = backend.select_backend(choice)
    assert chosen.info.name == "native"
    assert chosen.info.reason.startswith("cryptography ") and "AESOCB3" in chosen.info.reason


def test_native_failing_its_self_test_is_not_used(monkeypatch):
    ocb_native = pytest.importorskip("moshz.crypto.ocb_native")
    monkeypatch.setattr(ocb_native.NativeOcb, "encrypt", lambda self, n, p, a=b"": bytes(40))
    chosen = backend.select_backend("auto")
    assert chosen.info.name == "pure"
    assert "RFC 7253 sample" in chosen.info.reason


def _child(choice):
    env = dict(os.environ, MOSHZ_CRYPTO=choice, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKED_CHILD], env=env, capture_output=True, text=True,
        check=True, timeout=60,
    )
    return done.stdout.splitlines()


def test_blocked_import_falls_back_to_pure_in_a_real_process():
    lines = _child("auto")
    assert lines[0].startswith("pure | cryptography not importable: blocked for a test")
    assert lines[1] == "PureOcb"


def test_blocked_import_with_native_forced_says_so():
    assert _child("native")[0].startswith(
        "UsageError | MOSHZ_CRYPTO=native, but cryptography not importable"
    )


def test_blocked_import_with_pure_forced():
    assert _child("pure") == ["pure | MOSHZ_CRYPTO=pure", "PureOcb"]
