"""Live check: our SSP transport, as a client over real UDP, drives Debian's mosh-server.

mosh-server runs a one-line reader as its "shell"; we connect on 127.0.0.1,
send a resize and then the keys ``hello\\r``, see the line land in a file, and
shut the session down with the U64MAX handshake; mosh-server must then exit.
The reader then waits for a second line, so the shutdown is always ours.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from moshz.crypto.key import parse_key
from moshz.crypto.session import Session
from moshz.runtime.clock import monotonic_ms
from moshz.runtime.loop import Loop
from moshz.runtime.udp import ClientEndpoint
from moshz.ssp.events import (
    PeerShutdownAcknowledged,
    ShutdownAcknowledged,
    ShutdownTimedOut,
)
from moshz.ssp.transport import Transport
from moshz.statesync.user import UserStream
from moshz.wire.messages import HostBytes, decode_host_message
from tests.tools.bootstrap import LocalStart, start_local_server

pytestmark = pytest.mark.e2e
LIMIT_MS = 10_000
ENDINGS = (ShutdownAcknowledged(), PeerShutdownAcknowledged(), ShutdownTimedOut())


@dataclass(frozen=True)
class HostLog:
    """A test-only remote state: everything the server's terminal diffs carried, as bytes."""

    output: bytes = b""

    def apply(self, diff: bytes) -> HostLog:
        events = decode_host_message(diff)
        data = b"".join(e.data for e in events if isinstance(e, HostBytes))
        return replace(self, output=self.output + data)

    def subtract(self, prefix: HostLog) -> HostLog:
        return self

    def diff_from(self, old: HostLog) -> bytes:
        raise AssertionError("the client never sends the host's state")


def start_mosh_server(outfile: Path) -> LocalStart:
    """A detached mosh-server running the one-line reader (its output next to `outfile`)."""
    script = f'IFS= read -r line; printf "%s" "$line" > {outfile}; read -r wait'
    argv = ["mosh-server", "new", "-p", "0", "--", "/bin/sh", "-c", script]
    return start_local_server(argv, dict(os.environ, LANG="C.UTF-8"), outfile.parent, timeout=10)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Driver:
    """Types into the session once the shell is released, then shuts down."""

    def __init__(self, loop: Loop, outfile: Path, start: int) -> None:
        self.loop = loop
        self.outfile = outfile
        self.start = start
        self.typed = False
        self.ending: object = None

    def tick(self, now: int) -> int:
        transport = self.loop.transport
        if not self.typed and transport.remote_state.output:
            self.typed = True  # the shell was released: its newline echo arrived
            transport.set_local_state(transport.local_state.push_keys(b"hello\r"), now)
        if self.outfile.exists() and not transport.shutdown_in_progress:
            transport.start_shutdown(now)
        if self.ending is not None or now - self.start > LIMIT_MS:
            self.loop.stop()
        return now + 50

    def handle(self, event: object, now: int) -> None:
        if event in ENDINGS and self.ending is None:
            self.ending = event


@pytest.mark.skipif(shutil.which("mosh-server") is None, reason="mosh-server is not installed")
def test_keys_reach_the_shell_of_a_real_mosh_server(tmp_path: Path) -> None:
    outfile = tmp_path / "line"
    port, key, pid, _ = start_mosh_server(outfile)
    try:
        now = monotonic_ms()
        transport = Transport(
            Session(parse_key(key)), is_server=False, local=UserStream(), remote=HostLog(),
            now=now, rand=os.urandom, server_addr=("127.0.0.1", port),
        )
        transport.set_local_state(UserStream().push_resize(80, 24), now)
        loop = Loop(transport, ClientEndpoint(socket.AF_INET, now))
        driver = Driver(loop, outfile, now)
        loop.add_ticker(driver.tick)
        loop.add_event_handler(driver.handle)
        try:
            loop.run()
        finally:
            loop.close()
            loop.endpoint.close()
        assert outfile.read_text() == "hello"
        assert driver.ending == ShutdownAcknowledged()
        deadline = time.monotonic() + 5
        while running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not running(pid)
    finally:
        if running(pid):
            os.kill(pid, 15)
