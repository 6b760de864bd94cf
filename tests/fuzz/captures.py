"""Real mosh 1.4 traffic, from the recorded sessions, as datagrams a receive path can be fed."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

from tests.wire.sessions import SESSION_FILES, completed_instructions, load

SERVER_ADDR = ("127.0.0.1", 60001)
RECORDED = Path(__file__).resolve().parents[1] / "term" / "captured"
BASE_TIME = 5_000_000  # ms; captured times (seconds from the capture's start) are added


class Arrival(NamedTuple):
    """One captured datagram as its receiver saw it: bytes, source and local time."""

    data: bytes
    addr: tuple[str, int]
    now: int
    final: bool  # the last fragment of its instruction (the reassembly slot is free after it)


class Capture(NamedTuple):
    """One recorded session: its key and what each side received, in capture order."""

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
        bytes.fromhex(session["key_hex"]),
        tuple(_arrival(d, False) for d in delivered if d["dir"] == "s2c"),
        tuple(_arrival(d, True) for d in delivered if d["dir"] == "c2s"),
    )


@functools.lru_cache(maxsize=None)
def captures() -> tuple[Capture, ...]:
    """Every recorded session (loaded once)."""
    return tuple(_capture(path) for path in SESSION_FILES)


@functools.lru_cache(maxsize=None)
def host_outputs() -> tuple[bytes, ...]:
    """Every host byte string a real mosh-server sent in the recorded sessions."""
    found = []
    for decoded in completed_instructions():
        message = decoded["instruction"].get("diff_decoded") or {}
        for event in message.get("HostBuffers.HostMessage", []):
            if "hostbytes" in event:
                found.append(bytes.fromhex(event["hostbytes"]["hex"]))
    return tuple(found)


@functools.lru_cache(maxsize=None)
def recorded_programs() -> tuple[bytes, ...]:
    """Output of real programs (vim, less, man, ls, colours) recorded for the emulator tests."""
    return tuple(path.read_bytes() for path in sorted(RECORDED.glob("*.bin")))
