"""The hostile catalog sent at a live `moshz --server` and at the live moshz client talking to it.

Both sockets get every datagram of the catalog (garbage, forgeries, authentic nonsense,
one of 64 KiB) from another port of the machine; the server gets the forgeries once more
before the client has spoken. Neither side may crash or show anything new:
the screen keeps every row, the next command runs as usual, the session ends cleanly, and
the server's report counts the datagrams it rejected.
"""

from __future__ import annotations

import base64
import re
import socket
from typing import Callable

import pytest

from tests.faults.local import PROMPT, LocalServer, open_client
from tests.robustness.hostile import catalog
from tests.robustness.support import udp_ports
from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

REJECTED = re.compile(r"(\d+) of (\d+) datagrams rejected")
HOST = "127.0.0.1"


def session_key(server: LocalServer) -> bytes:
    """The 16-byte key behind the MOSH CONNECT text."""
    return base64.b64decode(server.key + "==")


def idle_rows(pane: Pane) -> list[str]:
    """The screen (with attributes) once the prompt is the last row."""
    pane.wait_for(lambda s: s.rstrip().endswith(PROMPT), "an idle prompt")
    return pane.rows(attributes=True)


def attack(targets: list[tuple[int, bool]], key: bytes, authentic: bool = True) -> None:
    """Send the catalog (`authentic`: all of it, else only forgeries) to each (port, is server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        sock.bind((HOST, 0))
        for port, to_server in targets:
            for hostile in catalog(key, to_server):
                if authentic or not hostile.authentic:
                    sock.sendto(hostile.data, (HOST, port))


def test_hostile_datagrams_at_both_ends_change_nothing(
    tmux: Tmux, moshz_file: str, local_servers: Callable[..., LocalServer]
) -> None:
    server = local_servers(verbose=True)
    attack([(server.port, True)], session_key(server), authentic=False)  # before any client
    pane = open_client(tmux, "moshz", moshz_file, server.port, server.key)
    pane.line("echo before-$((6*7))")
    pane.wait_for_row("before-42")
    before = idle_rows(pane)
    client_ports = udp_ports(pane.pid())
    assert client_ports, "the client holds no UDP socket"
    targets = [(server.port, True)] + [(port, False) for port in client_ports]
    attack(targets, session_key(server))
    # Loopback keeps order per socket: the reply to this command comes after the attack.
    pane.line("echo after-$((6*7))")
    pane.wait_for_row("after-42")
    after = idle_rows(pane)
    prompt_row = max(i for i, row in enumerate(before) if row.rstrip())
    assert after[:prompt_row] == before[:prompt_row], pane.dump()
    assert not any("mosh:" in row for row in after), pane.dump()
    pane.line("exit")
    assert pane.wait_exit() == 0, pane.dump()
    assert "Traceback" not in pane.capture(), pane.dump()
    log = wait_until(lambda: REJECTED.search(server.log.read_text()), 30, "the server's report")
    forged = sum(1 for hostile in catalog(session_key(server), True) if not hostile.authentic)
    assert int(log.group(1)) >= 2 * forged, server.log.read_text()
    assert "Traceback" not in server.log.read_text()
