"""Real mosh 1.4 traffic, from the recorded sessions, as datagrams a receive path can be fed."""

from __future__ import annotations

import functools
from typing import NamedTuple

from tests.wire.sessions import SESSION_FILES, load

SERVER_ADDR = ("127.0.0.1", 60001)
BASE_TIME = 5_000_000  # ms; captured times (seconds from the capture's start) are added


class Arrival(NamedTuple):
    """One captured datagram as its receiver saw it: bytes, source and local time."""

    data: bytes
    addr: tuple[str, int]
    now: int
    final: bool  # the last fragment of its instruction (the reassembly slot is free after it)


class Capture(NamedTuple):
    """One recorded session: its key and what each side received, in capture order."""

    name: str
    key: bytes
    to_client: tuple[Arrival, ...]
    to_server: tuple[Arrival, ...]


def _arrival(datagram: dict, to_server: bool) -> Arrival:
    addr = ("127.0.0.1", datagram["client_port"]) if to_server else SERVER_ADDR
    now = BASE_TIME + round(datagram["t"] * 1000)
    final = bool(datagram["decoded"]["fragment"]["final"])
    return Arrival(bytes.fromhex(datagram["hex"]), addr, now, final)


def _capture(path) -> Capture:
    session = load(path)
    delivered = [d for d in session["datagrams"] if not d.get("dropped")]
    return Capture(
        path.stem[len("mosh_session_") :],
        bytes.fromhex(session["key_hex"]),
        tuple(_arrival(d, False) for d in delivered if d["dir"] == "s2c"),
        tuple(_arrival(d, True) for d in delivered if d["dir"] == "c2s"),
    )


@functools.lru_cache(maxsize=None)
def captures() -> tuple[Capture, ...]:
    """Every recorded session (loaded once)."""
    return tuple(_capture(path) for path in SESSION_FILES)
