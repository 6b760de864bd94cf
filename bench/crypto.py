"""Seal and open speed of both AES-128-OCB3 backends on mosh-sized datagrams."""

from __future__ import annotations

import itertools
import os
from typing import Callable

from bench.registry import Figure, Options, benchmark, rate
from moshz.crypto.aead import Aead
from moshz.crypto.ocb_pure import PureOcb
from moshz.crypto.session import OVERHEAD, TO_CLIENT, Session, make_nonce

DATAGRAM = 1200  # bytes on the wire: nonce + ciphertext + tag
_MB = 1e6


def _backends() -> list[tuple]:
    """(name, factory) of every backend that loads here."""
    found: list[tuple] = [("pure", PureOcb)]
    try:
        from moshz.crypto.ocb_native import NativeOcb
    except ImportError:
        return found
    return [("native", NativeOcb), *found]


def _figures(name: str, factory: Callable[[bytes], Aead], seconds: float) -> list[Figure]:
    """Seal and open rates of one backend, in MB/s of wire bytes."""
    key = os.urandom(16)
    plaintext = os.urandom(DATAGRAM - OVERHEAD)
    sealer, opener = Session(key, factory), Session(key, factory)
    sealed = [sealer.seal(make_nonce(TO_CLIENT, i), plaintext) for i in range(256)]
    fresh = itertools.count(256)  # rate() restarts i each round; nonces must keep rising
    seal_rate = rate(lambda _: sealer.seal(make_nonce(TO_CLIENT, next(fresh)), plaintext), seconds)
    open_rate = rate(lambda i: opener.open(sealed[i % 256]), seconds)
    return [
        Figure(f"crypto-{name}", "seal 1200-byte datagrams", seal_rate * DATAGRAM / _MB, "MB/s"),
        Figure(f"crypto-{name}", "open 1200-byte datagrams", open_rate * DATAGRAM / _MB, "MB/s"),
    ]


@benchmark("crypto")
def crypto(options: Options) -> list[Figure]:
    """MB/s of Session.seal and Session.open per backend (target for pure: >= 1 MB/s)."""
    figures: list[Figure] = []
    for name, factory in _backends():
        figures.extend(_figures(name, factory, options.seconds))
    return figures
