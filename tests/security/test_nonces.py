"""Every datagram of a session, read back with the key: authentic, and no nonce ever repeats.

The relay notes each datagram it forwards while a session types, scrolls, resizes, roams to
a new address and ends with the shutdown handshake; each must open with the session key,
carry its direction's bit, and have a sequence number above every earlier one of its
direction (so none repeats, which OCB's security needs).
"""

from __future__ import annotations

import pytest

from moshz.crypto.key import parse_key
from moshz.crypto.session import Session
from tests.faults.fixtures import SessionFactory
from tests.faults.local import CLIENTS

pytestmark = pytest.mark.e2e

DIRECTION_BIT = {"up": 0, "down": 1}


def nonces(key: str, datagrams: list[bytes]) -> list[int]:
    """The nonce of each datagram, after checking that it is authentic."""
    session = Session(parse_key(key))
    return [session.open(datagram)[0] for datagram in datagrams]


@pytest.mark.parametrize("client", CLIENTS)
def test_sequence_numbers_never_repeat(
    client: str,
    relayed_sessions: SessionFactory,
) -> None:
    server, relay, pane = relayed_sessions(client)
    pane.line("echo one-$((6*7)); seq 2000")
    pane.wait_for_row("2000")
    pane.resize(100, 30)
    relay.roam()
    pane.line("clear; echo two-$((6*7))")
    pane.wait_for_row("two-42")
    pane.line("exit")
    pane.wait_exit(timeout=30)
    for direction, bit in DIRECTION_BIT.items():
        seen = nonces(server.key, relay.datagrams(direction))
        assert len(seen) >= 5
        assert all(nonce >> 63 == bit for nonce in seen)
        assert all(a < b for a, b in zip(seen, seen[1:])), f"{direction}: a nonce went back"
