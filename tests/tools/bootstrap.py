"""Start a mosh(-compatible) server over ssh by hand and read its `MOSH CONNECT` line."""

from __future__ import annotations

import re
from typing import NamedTuple

from tests.tools.sshd import SshServer

CONNECT_LINE = re.compile(r"^MOSH CONNECT (\d+) ([A-Za-z0-9+/]{22})\s*$", re.MULTILINE)
DEFAULT_SERVER = "mosh-server new -s -c 256 -l LANG=C.UTF-8"


class Connect(NamedTuple):
    """What a client needs to reach a freshly started server: its UDP port and session key."""

    port: int
    key: str


def parse_connect(output: str) -> Connect:
    """Find the `MOSH CONNECT <port> <key>` line in a server's start-up output."""
    match = CONNECT_LINE.search(output)
    if match is None:
        raise AssertionError(f"no MOSH CONNECT line in server output:\n{output}")
    return Connect(int(match.group(1)), match.group(2))


def start_remote_server(server: SshServer, command: str = DEFAULT_SERVER) -> Connect:
    """Run a server start command as the test user over ssh (it detaches) and return its Connect."""
    result = server.ssh(command)
    return parse_connect(result.stdout)
