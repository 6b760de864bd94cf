"""The client's I/O driver: runs a ClientSession on the selectors loop with the real terminal.

All decisions are the session's (moshz.client.session); this module only
moves bytes between the terminal, the session and the loop, applies raw mode
and restores it, and turns signals and suspension into session calls.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
import traceback

from moshz.client.session import EXITING, ClientConfig, ClientSession, client_transport
from moshz.runtime.clock import monotonic_ms
from moshz.runtime.loop import Loop
from moshz.runtime.tty import RawTerminal, stop_process_group, window_size
from moshz.runtime.udp import ClientEndpoint

STDIN = 0
STDOUT = 1
READ_SIZE = 16384
SUSPENDED = b"\n\x1b[37;44m[mosh is suspended.]\x1b[m\n"
_SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (the terminal may take a large frame in pieces)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class ClientDriver:
    """Carries out one ClientSession on the user's terminal and a UDP endpoint."""

    def __init__(self, key: bytes, config: ClientConfig, terminal: RawTerminal) -> None:
        now = monotonic_ms()
        width, height = window_size(STDIN)
        server = (config.ip, config.port)
        transport = client_transport(key, width, height, server, now, os.urandom)
        self.terminal = terminal
        self.session = ClientSession(transport, width, height, now, config)
        version = ipaddress.ip_address(config.ip).version
        family = socket.AF_INET6 if version == 6 else socket.AF_INET
        self.endpoint = ClientEndpoint(family, now)
        self.loop = Loop(transport, self.endpoint)

    def run(self) -> None:
        """Paint, then serve keystrokes, signals and datagrams until the session ends."""
        session, loop = self.session, self.loop
        write_all(STDOUT, session.open_bytes() + session.initial_paint())
        loop.add_ticker(self._tick)
        loop.add_event_handler(session.handle_event)
        loop.add_reader(STDIN, self._read_stdin)
        loop.add_signal(signal.SIGWINCH, self._resized)
        loop.add_signal(signal.SIGCONT, self._continued)
        for signum in _SHUTDOWN_SIGNALS:
            loop.add_signal(signum, session.signalled)
        try:
            loop.run()
        finally:
            loop.close()
            self.endpoint.close()

    def _tick(self, now: int) -> int | None:
        session = self.session
        deadline = session.tick(now)
        write_all(STDOUT, session.render(now))
        if session.finished:
            self.loop.stop()
        return deadline

    def _read_stdin(self, now: int) -> None:
        try:
            data = os.read(STDIN, READ_SIZE)
        except OSError:
            data = b""
        if not data:
            self.loop.remove_reader(STDIN)
            self.session.input_closed(now)
            return
        self.session.user_input(data, now)
        if self.session.suspend_requested:
            self._suspend()

    def _suspend(self) -> None:
        self.session.suspend_requested = False
        write_all(STDOUT, self.session.suspend_bytes())
        self.terminal.restore()
        write_all(STDOUT, SUSPENDED)
        stop_process_group()
        self._continued(monotonic_ms())

    def _continued(self, now: int) -> None:
        self.terminal.enter()
        write_all(STDOUT, self.session.resumed())

    def _resized(self, now: int) -> None:
        width, height = window_size(STDIN)
        self.session.resize(width, height, now)

    def finish(self) -> int:
        """Last frame, terminal restored exactly, mosh's exit messages; the exit status."""
        session = self.session
        try:
            write_all(STDOUT, session.close_bytes(monotonic_ms()))
        finally:
            self.terminal.restore()
        text, status = session.exit_report()
        sys.stderr.write(text)
        return status


def run_client(key: bytes, config: ClientConfig, verbose: int = 0) -> int:
    """Connect to the server of ``config`` with ``key`` on this terminal; the exit status."""
    try:
        terminal = RawTerminal(STDIN)
    except OSError as error:
        sys.stderr.write(f"tcgetattr: {error.strerror}\n")
        return 1
    terminal.enter()
    driver = None
    error = None
    try:
        driver = ClientDriver(key, config, terminal)
        driver.run()
    except Exception as exc:  # noqa: BLE001 - reported like mosh once the terminal is back
        error = exc
    finally:
        status = 1 if driver is None else driver.finish()
        if driver is None:
            terminal.restore()
    if error is not None:
        _report(error, verbose)
        status = 1
    sys.stdout.write(EXITING)
    sys.stdout.flush()
    return status


def _report(error: Exception, verbose: int) -> None:
    """mosh prints uncaught errors as ``Network exception: ...`` or ``Error: ...``."""
    kind = "Network exception" if isinstance(error, OSError) else "Error"
    sys.stderr.write(f"{kind}: {error}\r\n")
    if verbose:
        traceback.print_exception(type(error), error, error.__traceback__)
