"""A moshz server started locally (no ssh) and a mosh client in tmux reaching it through a relay.

The server runs as `moshz --server new -p 0 -- bash` in a scratch directory, with a bash rc
file that sets the prompt; its start-up output (the MOSH CONNECT line, then the detached
pid) and, with -v, its log go to files there. Clients get MOSH_KEY through their
environment only. The relay is the project's impairment relay, taught to note every
datagram it forwards (time, direction, bytes) so tests can judge delays and read traffic.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path
from typing import Mapping, NamedTuple

from tests.tools import procs
from tests.tools.bootstrap import start_local_server
from tests.tools.relay import Relay
from tests.tools.tmux import Pane, Tmux, base_environment
from tests.tools.wait import wait_until

PROMPT = "ft$"
CLIENTS = ("mosh-client", "moshz")
START_TIMEOUT = 30.0


class LocalServer(NamedTuple):
    """A running server: its UDP port, session key, detached pid and files."""

    port: int
    key: str
    pid: int
    log: Path
    home: Path


def start_server(
    moshz: str, home: Path, env: Mapping[str, str] | None = None, verbose: bool = False
) -> LocalServer:
    """Start `moshz --server new` on 127.0.0.1 with bash; wait for it to detach."""
    rc = home / "bashrc"
    rc.write_text(f"PS1='{PROMPT} '\nPROMPT_COMMAND=\nunset HISTFILE\n")
    argv = [moshz, "--server", "new", "-i", "127.0.0.1", "-p", "0", "-l", "LANG=C.UTF-8"]
    argv += ["-v"] if verbose else []
    argv += ["--", "bash", "--rcfile", str(rc), "--noprofile", "-i"]
    environ = {**base_environment(), **(env or {})}
    started = start_local_server(argv, environ, home, cwd=home, timeout=START_TIMEOUT)
    return LocalServer(started.port, started.key, started.pid, started.log, home)


def stop_server(server: LocalServer) -> None:
    """End the server and everything below it (whatever state the test left them in)."""
    pids = procs.descendants(server.pid) | {server.pid}
    for pid in pids:
        try:
            os.kill(pid, signal.SIGCONT)  # in case a test left it stopped
        except OSError:
            pass
    procs.terminate(pids)


def client_argv(client: str, moshz: str, port: int) -> list[str]:
    """The command line of a bare client (mosh-client or `moshz --client`) to 127.0.0.1:port."""
    if client == "mosh-client":
        return ["mosh-client", "127.0.0.1", str(port)]
    return [moshz, "--client", "127.0.0.1", str(port)]


def open_client(
    tmux: Tmux, client: str, moshz: str, port: int, key: str, width: int = 80, height: int = 24
) -> Pane:
    """A client in a new pane (MOSH_KEY in its environment), waited for until the prompt shows."""
    pane = tmux.new_pane(client_argv(client, moshz, port), width, height, env={"MOSH_KEY": key})
    pane.wait_for(lambda s: PROMPT in s, "the shell prompt", timeout=START_TIMEOUT)
    return pane


def shell_pid(server: LocalServer) -> int:
    """The pid of the bash the server started (its only child)."""
    children = wait_until(lambda: procs.descendants(server.pid), START_TIMEOUT, "the shell")
    return min(children)


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


class TapRelay(Relay):
    """The impairment relay, also noting each datagram it forwards: (time, direction, bytes)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.forwarded: list[tuple[float, str, bytes]] = []

    def _send(self, item) -> None:  # type: ignore[no-untyped-def]
        super()._send(item)
        self.forwarded.append((time.monotonic(), item.direction, item.data))

    def datagrams(self, direction: str) -> list[bytes]:
        """Every datagram forwarded so far in one direction ("up" or "down"), in order."""
        return [data for _, way, data in list(self.forwarded) if way == direction]

    def times(self, direction: str, since: float = 0.0) -> list[float]:
        """When datagrams of one direction were forwarded, from `since` on."""
        return [t for t, way, _ in list(self.forwarded) if way == direction and t >= since]


def typed_text(length: int, seed: int) -> str:
    """Printable text to type: ASCII (no ';', which tmux treats specially) and some UTF-8."""
    alphabet = [chr(c) for c in range(0x21, 0x7F) if chr(c) != ";"] + list(" é日本ü")
    chooser = random.Random(seed)
    return "".join(chooser.choice(alphabet) for _ in range(length))


def running(server: LocalServer, program: str) -> bool:
    """Whether a process named `program` runs below the server."""
    for pid in procs.descendants(server.pid):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == program:
                return True
        except OSError:
            continue
    return False


def type_into_file(pane: Pane, server: LocalServer, path: Path, text: str, chunk: int = 20) -> str:
    """Type `text` into `cat > path` a few keys at a time, end it, and return the file."""
    pane.line(f"cat > {path}")
    wait_until(lambda: running(server, "cat"), 30, "cat to start", pane.dump)
    for start in range(0, len(text), chunk):
        pane.send_text(text[start : start + chunk])
    pane.send_keys("Enter")
    pane.send_bytes(b"\x04")
    wait_until(lambda: not running(server, "cat"), 60, "cat to end", pane.dump)
    return path.read_text(encoding="utf-8")
