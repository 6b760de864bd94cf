"""A flood of 100,000 garbage, forged and replayed datagrams at the server's port mid-session.

The user types into `cat > file` before and during the flood; the replayed datagrams carry
those very keystrokes, so the file shows whether anything was applied twice. The session
must stay responsive, the server's log must show it rejected the flood (it counts rejected
datagrams at exit), and its resident memory must not grow.
"""

from __future__ import annotations

import random
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.faults.fixtures import SessionFactory
from tests.faults.local import (
    LocalServer,
    rss_kib,
    running,
    type_into_file,
    typed_text,
)
from tests.tools.tmux import Pane
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

FLOOD = 100_000
BURST = 200
ATTACKER = ("127.0.0.66", 0)
RSS_GROWTH_KIB = 4096
REJECTED = re.compile(r"(\d+) of (\d+) datagrams rejected")


def hostile(genuine: list[bytes], chooser: random.Random) -> bytes:
    """One flood datagram: a replay, a bit-flipped or cut genuine one, or random bytes."""
    kind = chooser.randrange(4)
    if kind == 3 or not genuine:
        size = chooser.randrange(1, 1400)
        return chooser.getrandbits(8 * size).to_bytes(size, "big")
    data = chooser.choice(genuine)
    if kind == 0:
        return data
    if kind == 1:
        flipped = bytearray(data)
        flipped[chooser.randrange(len(data))] ^= 1 << chooser.randrange(8)
        return bytes(flipped)
    return data[: chooser.randrange(len(data))]


def flood(port: int, genuine: list[bytes], count: int, seed: int) -> None:
    """Send `count` hostile datagrams to the server, in bursts paced so it reads most of them."""
    chooser = random.Random(seed)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(ATTACKER)
        for sent in range(count):
            sock.sendto(hostile(genuine, chooser), ("127.0.0.1", port))
            if sent % BURST == BURST - 1:
                time.sleep(0.002)


def type_slowly(pane: Pane, text: str) -> None:
    """Type a few keys at a time, as a person would, so typing overlaps the flood."""
    for start in range(0, len(text), 10):
        pane.send_text(text[start : start + 10])
        time.sleep(0.05)


def rejected_at_exit(server: LocalServer) -> int:
    """How many datagrams the server's log says it rejected over the session."""
    found = wait_until(lambda: REJECTED.search(server.log.read_text()), 30, "the exit report")
    return int(found.group(1))


def test_flood_of_garbage_and_replays_changes_nothing(
    relayed_sessions: SessionFactory,
    tmp_path: Path,
) -> None:
    server, relay, pane = relayed_sessions(verbose=True)
    warm_up = typed_text(100, seed=4)
    assert type_into_file(pane, server, tmp_path / "warm.txt", warm_up) == warm_up + "\n"
    flood(server.port, relay.datagrams("up"), 5_000, seed=5)  # let the allocator settle
    before = rss_kib(server.pid)
    path = tmp_path / "typed.txt"
    first, second = typed_text(200, seed=6), typed_text(200, seed=7)
    pane.line(f"cat > {path}")
    wait_until(lambda: running(server, "cat"), 30, "cat to start", pane.dump)
    type_slowly(pane, first)
    attack = threading.Thread(target=flood, args=(server.port, relay.datagrams("up"), FLOOD, 8))
    attack.start()
    try:
        type_slowly(pane, second)
        pane.send_keys("Enter")
        pane.send_bytes(b"\x04")
        wait_until(lambda: not running(server, "cat"), 60, "cat to end", pane.dump)
    finally:
        attack.join()
    after = rss_kib(server.pid)
    assert path.read_text(encoding="utf-8") == first + second + "\n"
    pane.line("clear; echo alive-$((6*7))")
    pane.wait_for_row("alive-42", timeout=15)
    assert after - before <= RSS_GROWTH_KIB, f"RSS grew from {before} to {after} KiB"
    pane.line("exit")
    pane.wait_exit(timeout=30)
    assert rejected_at_exit(server) >= FLOOD // 2
