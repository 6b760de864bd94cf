"""Chooses the AES-128-OCB3 implementation once: cryptography's if it works here, else pure Python.

``MOSHZ_CRYPTO`` = ``auto`` (default), ``native`` or ``pure``. ``auto`` takes the native backend
only if it imports *and* reproduces an RFC 7253 sample; any failure (no cryptography, a
wrong-architecture or too-new-glibc extension, an OpenSSL without OCB) falls back to pure, and
the reason is kept for ``moshz -v --version``.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Callable, NamedTuple

from moshz.crypto.aead import Aead
from moshz.errors import UsageError

ENV_VAR = "MOSHZ_CRYPTO"
CHOICES = ("auto", "native", "pure")

# RFC 7253 Appendix A, sample with nonce ...07: key, nonce, associated data = plaintext, output.
_SAMPLE_KEY = bytes(range(16))
_SAMPLE_NONCE = bytes.fromhex("bbaa99887766554433221107")
_SAMPLE_TEXT = bytes(range(24))
_SAMPLE_OUTPUT = bytes.fromhex(
    "1ca2207308c87c010756104d8840ce1952f09673a448a122c92c62241051f57356d7f3c90bb0e07f"
)


class BackendInfo(NamedTuple):
    """Which backend runs and why, in words (shown by ``moshz -v --version``)."""

    name: str
    reason: str


class Backend(NamedTuple):
    """A chosen backend: its description and the constructor of its AEAD objects."""

    info: BackendInfo
    factory: Callable[[bytes], Aead]


def load_native() -> Backend:
    """Import the native backend and prove it on an RFC sample; raises whatever goes wrong."""
    from moshz.crypto.ocb_native import NativeOcb, describe

    aead = NativeOcb(_SAMPLE_KEY)
    if aead.encrypt(_SAMPLE_NONCE, _SAMPLE_TEXT, _SAMPLE_TEXT) != _SAMPLE_OUTPUT:
        raise RuntimeError("AESOCB3 gave a wrong result for an RFC 7253 sample")
    return Backend(BackendInfo("native", describe()), NativeOcb)


def _pure(reason: str) -> Backend:
    """The pure-Python backend, with the reason it was chosen."""
    from moshz.crypto.ocb_pure import PureOcb

    return Backend(BackendInfo("pure", reason), PureOcb)


def _failure_reason(exc: Exception) -> str:
    """One line saying why the native backend is unusable."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ImportError):
        return "cryptography not importable: " + detail
    return f"cryptography unusable: {type(exc).__name__}: {detail}"


def select_backend(choice: str, native: Callable[[], Backend] = load_native) -> Backend:
    """Resolve a MOSHZ_CRYPTO value; UsageError for a bad value or an unusable forced native."""
    choice = choice.strip().lower() or "auto"
    if choice not in CHOICES:
        raise UsageError(f"{ENV_VAR} must be auto, native or pure, not {choice!r}")
    if choice == "pure":
        return _pure(f"{ENV_VAR}=pure")
    try:
        return native()
    except Exception as exc:  # noqa: BLE001 - any failure at all means: not usable here
        reason = _failure_reason(exc)
        if choice == "native":
            raise UsageError(f"{ENV_VAR}=native, but {reason}") from None
        return _pure(reason)


@functools.lru_cache(maxsize=None)
def current() -> Backend:
    """The backend of this process, chosen on first use from the environment."""
    return select_backend(os.environ.get(ENV_VAR, "auto"))


def make_aead(key: bytes) -> Aead:
    """An AES-128-OCB3 object for key from the chosen backend."""
    return current().factory(key)


def __getattr__(name: str) -> Any:
    """``BACKEND``: the chosen backend's BackendInfo, computed on first access."""
    if name == "BACKEND":
        return current().info
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
