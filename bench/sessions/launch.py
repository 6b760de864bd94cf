"""Start a server (`new -p 0 -- command`), read MOSH CONNECT, run its client in a tmux pane."""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import IO, Callable, Mapping, Sequence

from bench.sessions.impls import Implementation
from bench.sessions.procfs import parent_pid, udp_port_owners
from tests.tools.procs import descendants, terminate
from tests.tools.tmux import Pane, Tmux, base_environment

CONNECT = re.compile(rb"MOSH CONNECT (\d+) ([A-Za-z0-9/+]{22})\s")
SERVER_EXIT_WAIT_S = 2.0


class SessionError(Exception):
    """A session could not be started or did not behave (the workload is reported as n/a)."""


class Link:
    """Where the client sends its datagrams; the base class is the direct path to the server."""

    def __init__(self, server_port: int) -> None:
        self.port = server_port

    def close(self) -> None:
        """Stop forwarding (nothing to stop on the direct path)."""


LinkFactory = Callable[[int], Link]


@dataclass
class Server:
    """A started server: the launcher process, the UDP port and key it announced, its log."""

    process: subprocess.Popen
    port: int
    key: str
    log: IO[bytes]


def _read_connect(stream: IO[bytes], deadline: float) -> re.Match | None:
    """Read the launcher's output until the MOSH CONNECT line, its end, or the deadline."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(max(deadline - time.monotonic(), 0)):
                continue
            chunk = os.read(stream.fileno(), 4096)
            data += chunk
            found = CONNECT.search(data)
            if found or not chunk:
                return found
    return None


def _log_tail(log: IO[bytes]) -> str:
    """The last lines a failed launcher wrote to stderr, for the n/a explanation."""
    log.seek(0)
    lines = log.read().decode(errors="replace").strip().splitlines()
    return " / ".join(lines[-3:]) or "no output"


def start_server(
    impl: Implementation, command: Sequence[str], env: Mapping[str, str], timeout: float
) -> Server:
    """Run `<server> new -p 0 -- command` and return once it has announced its port and key."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - kept by the Server, closed with it
    process = subprocess.Popen(
        [*impl.server, "new", "-p", "0", "--", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
        env=dict(env),
    )
    assert process.stdout is not None
    found = _read_connect(process.stdout, time.monotonic() + timeout)
    process.stdout.close()
    if found is None:
        terminate([process.pid])
        process.wait()
        raise SessionError(f"{impl.name} server did not start: {_log_tail(log)}")
    return Server(process, int(found.group(1)), found.group(2).decode(), log)


def _root_owner(owners: set[int]) -> int | None:
    """Among the processes sharing a socket, the one whose parent does not share it."""
    for pid in sorted(owners):
        try:
            if parent_pid(pid) not in owners:
                return pid
        except OSError:
            continue
    return None


def find_server_pid(server: Server) -> int:
    """The process serving the session: the detached daemon, or the launcher if it stayed."""
    try:
        server.process.wait(SERVER_EXIT_WAIT_S)
    except subprocess.TimeoutExpired:
        return server.process.pid
    owner = _root_owner(udp_port_owners(server.port))
    if owner is None:
        raise SessionError(f"no process holds UDP port {server.port}")
    return owner


def stop_server(server: Server, pid: int | None = None) -> None:
    """End a server (`pid` if known, else looked up), its shell and its launcher."""
    pids = {server.process.pid}
    try:
        found = find_server_pid(server) if pid is None else pid
        pids |= {found} | descendants(found)
    except SessionError:
        pass
    terminate(pids)
    server.process.wait()
    server.log.close()


class Session:
    """A running server with its client in a tmux pane, reached through a link."""

    def __init__(self, impl: Implementation, server: Server, pane: Pane, link: Link) -> None:
        self.impl = impl
        self.server = server
        self.pane = pane
        self.link = link
        self._server_pid: int | None = None

    def server_pid(self) -> int:
        """The server process's id (looked up once, when first needed)."""
        if self._server_pid is None:
            self._server_pid = find_server_pid(self.server)
        return self._server_pid

    def client_pid(self) -> int:
        """The client process's id (the pane's program)."""
        return self.pane.pid()

    def close(self) -> None:
        """End client, server and the server's shell, then the link and the pane."""
        terminate([self.client_pid()])
        stop_server(self.server, self._server_pid)
        self.link.close()
        self.pane.tmux.run("kill-pane", "-t", self.pane.pane_id)


def server_environment(impl: Implementation) -> dict[str, str]:
    """The server's environment: the tmux panes' basics, a UTF-8 locale, the implementation's."""
    return {**base_environment(), **impl.env}


def open_session(
    tmux: Tmux,
    impl: Implementation,
    command: Sequence[str],
    timeout: float,
    client_env: Mapping[str, str] | None = None,
    link: LinkFactory = Link,
) -> Session:
    """Start a server running `command` and its client (key in MOSH_KEY) in a new pane."""
    server = start_server(impl, command, server_environment(impl), timeout)
    path = link(server.port)
    env = {**impl.env, **(client_env or {}), "MOSH_KEY": server.key}
    try:
        pane = tmux.new_pane([*impl.client, "127.0.0.1", str(path.port)], env=env)
    except BaseException:
        path.close()
        stop_server(server)
        raise
    return Session(impl, server, pane, path)
