"""Start a mosh(-compatible) server, over ssh or here, and read its `MOSH CONNECT` line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from tests.tools.sshd import SshServer
from tests.tools.wait import wait_until

CONNECT_LINE = re.compile(r"^MOSH CONNECT (\d+) ([A-Za-z0-9+/]{22})\s*$", re.MULTILINE)
DETACHED = re.compile(r"\[mosh-server detached, pid = (\d+)\]")
DEFAULT_SERVER = "mosh-server new -s -c 256 -l LANG=C.UTF-8"


class Connect(NamedTuple):
    """What a client needs to reach a freshly started server: its UDP port and session key."""

    port: int
    key: str


class LocalStart(NamedTuple):
    """A server started here: its port and key, the pid it detached as, and its stderr file."""

    port: int
    key: str
    pid: int
    log: Path


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


def start_local_server(
    argv: Sequence[str],
    env: Mapping[str, str],
    files: Path,
    cwd: Path | None = None,
    timeout: float = 30.0,
) -> LocalStart:
    """Run a server's `new` command here and wait until it has detached. Its stdout and stderr
    go to `files`/server.out and server.log (a -v server keeps writing its log there)."""
    out, log = files / "server.out", files / "server.log"
    with out.open("wb") as stdout, log.open("wb") as stderr:
        subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=dict(env),
            cwd=cwd,
            timeout=timeout,
            check=True,
        )
    connect = parse_connect(out.read_text())
    found = wait_until(lambda: DETACHED.search(log.read_text()), timeout, "the server's pid")
    return LocalStart(connect.port, connect.key, int(found.group(1)), log)
