"""The hostile catalog fed to a moshz client and a moshz server mid-way through a real session.

Each side first receives the first half of a recorded real-mosh session, then every hostile
datagram of the catalog, from an attacker's address and from the peer's own. Nothing may raise
or change what the side's owner can see, and the second half then lands as if nothing happened.
"""

from __future__ import annotations

import pytest

from moshz.crypto.session import Session
from moshz.errors import ProtocolError
from moshz.ssp.events import DatagramRejected
from tests.fuzz.captures import captures
from tests.fuzz.test_receive_path import (
    ATTACKER,
    boundaries,
    clean_outcome,
    drain,
    feed,
    sides,
    snapshot,
)
from tests.robustness.hostile import catalog


@pytest.mark.parametrize("side_index, to_server", [(0, False), (1, True)], ids=["client", "server"])
def test_catalog_changes_nothing_and_the_session_lands_the_same(
    side_index: int, to_server: bool
) -> None:
    capture = captures()[0]
    side = sides(capture)[side_index]
    marks = boundaries(side.arrivals)
    split = marks[len(marks) // 2]
    done, rest = side.arrivals[:split], side.arrivals[split:]
    transport = side.make(capture.key)
    feed(transport, done)
    drain(transport)
    now = done[-1].now
    before = snapshot(transport, now)
    for hostile in catalog(capture.key, to_server, transport.remote_state_num):
        for addr in (ATTACKER, done[-1].addr):
            transport.receive_datagram(hostile.data, addr, now)
            assert snapshot(transport, now) == before, hostile.name
            events = drain(transport)
            assert all(isinstance(event, DatagramRejected) for event in events), hostile.name
    feed(transport, rest)
    assert snapshot(transport, side.arrivals[-1].now) == clean_outcome(0, side_index)


@pytest.mark.parametrize("to_server", [True, False])
def test_the_catalog_holds_what_it_says(to_server: bool) -> None:
    key = captures()[0].key
    hostile = catalog(key, to_server)
    assert any(item.authentic for item in hostile) and not all(item.authentic for item in hostile)
    for item in hostile:
        if item.authentic:
            Session(key).open(item.data)
        else:
            with pytest.raises(ProtocolError):
                Session(key).open(item.data)
