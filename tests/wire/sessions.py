"""Loading the recorded real-mosh sessions that the wire tests replay."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from tests.vectors import VECTORS

SESSION_FILES = sorted(VECTORS.glob("mosh_session_*.json"))


def load(path: Path) -> dict[str, Any]:
    """One recorded session as parsed JSON."""
    with path.open() as handle:
        return json.load(handle)


def nonce_of(datagram: dict[str, Any]) -> int:
    """The 64-bit nonce value sent in clear at the front of a datagram."""
    return int(datagram["hex"][:16], 16)


def all_datagrams() -> list[dict[str, Any]]:
    """Every datagram of every session, in capture order."""
    return [d for path in SESSION_FILES for d in load(path)["datagrams"]]


def completed_instructions() -> list[dict[str, Any]]:
    """The ``decoded`` part of every datagram that completed an instruction."""
    return [d["decoded"] for d in all_datagrams() if "instruction_bytes" in d["decoded"]]
