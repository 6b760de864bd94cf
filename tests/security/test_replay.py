"""Datagrams replayed from earlier in the session, at either end, change nothing.

An attacker on another address resends every datagram the client sent (to the server) and
every datagram the server sent (to the client), several times and in both orders. The
command typed earlier must not run again, the screen must not go back to an old state, and
the server must keep talking to the real client (a replay cannot move the association).
"""

from __future__ import annotations

import socket

import pytest

from tests.faults.fixtures import SessionFactory
from tests.faults.local import CLIENTS, PROMPT

pytestmark = pytest.mark.e2e

ATTACKER = ("127.0.0.77", 0)
ROUNDS = 3


def replay(datagrams: list[bytes], target: tuple[str, int]) -> None:
    """Send the datagrams again, forwards then backwards, a few times, from another address."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(ATTACKER)
        for _ in range(ROUNDS):
            for datagram in datagrams + datagrams[::-1]:
                sock.sendto(datagram, target)


@pytest.mark.parametrize("client", CLIENTS)
def test_replayed_datagrams_have_no_effect(
    client: str,
    relayed_sessions: SessionFactory,
) -> None:
    server, relay, pane = relayed_sessions(client)
    pane.line("echo secret-$((6*7))")
    pane.wait_for_row("secret-42")
    pane.line("clear; echo now-$((6*7))")
    pane.wait_for_row("now-42")
    client_addr = relay.stats().client
    assert client_addr is not None
    replay(relay.datagrams("up"), ("127.0.0.1", server.port))
    replay(relay.datagrams("down"), client_addr)
    pane.line("echo later-$((6*7))")
    expected = ["now-42", f"{PROMPT} echo later-$((6*7))", "later-42", PROMPT]
    pane.wait_for(lambda s: nonblank(s) == expected, "only the new command's rows")


def nonblank(screen: str) -> list[str]:
    """The rows of a screen that show something."""
    return [row.rstrip() for row in screen.split("\n") if row.strip()]
