"""A small selectors loop that drives one sans-I/O Transport over UDP.

It owns no protocol logic. Each iteration:

1. calls every *ticker* ``tick(now) -> deadline | None`` (sessions publish new
   local states, run their own timers and may ask to wake up at ``deadline``);
2. sends what ``transport.datagrams_to_send(now)`` returns (a client hops to a
   fresh socket when ``transport.port_hop_due(now)`` says so);
3. sleeps until the earliest of ``transport.next_timeout(now)``, the tickers'
   deadlines, a readable socket, a readable registered fd or a signal;
4. feeds every waiting datagram to ``transport.receive_datagram`` and hands
   every transport event to the *event handlers* ``handle(event, now)``; calls
   the *reader* callbacks ``read(now)`` of readable fds (a pty, stdin) and the
   *signal* callbacks ``signalled(now)``.

Callbacks may call ``stop()``; ``run()`` then returns after the current step.
Server and client sessions build on this class; ``now`` is always the value of
``clock()`` read once after each wake-up, as mosh freezes it per iteration.
"""

from __future__ import annotations

import errno
import os
import selectors
import signal
import socket
from typing import Any, Callable, Optional

from moshz.runtime import udp
from moshz.runtime.clock import monotonic_ms
from moshz.ssp.transport import Transport, earliest

Ticker = Callable[[int], Optional[int]]
Reader = Callable[[int], None]
EventHandler = Callable[[Any, int], None]
MAX_DATAGRAMS_PER_WAKEUP = 64  # so a flood cannot starve the pty and the timers
_SOCKET = "socket"
_WAKEUP = "wakeup"


class Loop:
    """Runs a Transport over an endpoint (udp.ServerEndpoint or udp.ClientEndpoint)."""

    def __init__(
        self,
        transport: Transport[Any, Any],
        endpoint: udp.ServerEndpoint | udp.ClientEndpoint,
        clock: Callable[[], int] = monotonic_ms,
    ) -> None:
        self.transport = transport
        self.endpoint = endpoint
        self.clock = clock
        self._selector = selectors.DefaultSelector()
        self._sockets: dict[socket.socket, None] = {}
        self._tickers: list[Ticker] = []
        self._handlers: list[EventHandler] = []
        self._signals: dict[int, Reader] = {}
        self._saved_signals: dict[int, Any] = {}
        self._wakeup: tuple[int, int] | None = None
        self._saved_wakeup_fd = -1
        self._stop_requested = False
        self._sync_sockets()

    # -- registration -------------------------------------------------------

    def add_ticker(self, tick: Ticker) -> None:
        """Call ``tick(now)`` once per iteration before sending; it may return a wake-up time."""
        self._tickers.append(tick)

    def add_event_handler(self, handle: EventHandler) -> None:
        """Call ``handle(event, now)`` for every event the transport reports."""
        self._handlers.append(handle)

    def add_reader(self, fd: int, read: Reader) -> None:
        """Call ``read(now)`` whenever ``fd`` is readable (a pty master, stdin)."""
        self._selector.register(fd, selectors.EVENT_READ, read)

    def remove_reader(self, fd: int) -> None:
        """Stop watching ``fd`` (e.g. after EOF)."""
        self._selector.unregister(fd)

    def add_signal(self, signum: int, signalled: Reader) -> None:
        """Call ``signalled(now)`` from the loop (not from the handler) when ``signum`` arrives."""
        if self._wakeup is None:
            self._open_wakeup()
        self._signals[signum] = signalled
        self._saved_signals[signum] = signal.signal(signum, _note_signal)

    def stop(self) -> None:
        """Make ``run()`` return at the end of the current step (a ticker's stop skips sending)."""
        self._stop_requested = True

    # -- running ------------------------------------------------------------

    def run(self) -> None:
        """Loop until ``stop()`` is called."""
        self._stop_requested = False
        while not self._stop_requested:
            self.step()

    def step(self) -> None:
        """One iteration: tick, send, wait, read."""
        now = self.clock()
        deadline = self._tick(now)
        if self._stop_requested:
            return
        self.flush(now)
        deadline = earliest(deadline, self.transport.next_timeout(now))
        timeout = None if deadline is None else max(0, deadline - now) / 1000.0
        ready = self._selector.select(timeout)
        now = self.clock()
        for key, _ in ready:
            self._dispatch(key, now)

    def flush(self, now: int) -> None:
        """Send every datagram the transport has ready, then hop ports if it is time."""
        datagrams = self.transport.datagrams_to_send(now)
        for data, addr in datagrams:
            self._send(data, addr)
        self._drain_events(now)
        if datagrams and self.transport.port_hop_due(now):
            self.endpoint.hop(now)
            self.transport.port_hopped(now)
            self._sync_sockets()

    def close(self) -> None:
        """Restore signal handlers, release the selector (the endpoint is the caller's)."""
        self._restore_signals()
        self._selector.close()

    # -- internals ----------------------------------------------------------

    def _tick(self, now: int) -> int | None:
        return earliest(*(tick(now) for tick in self._tickers))

    def _dispatch(self, key: selectors.SelectorKey, now: int) -> None:
        if key.data is _SOCKET:
            self._read_socket(key.fileobj, now)  # type: ignore[arg-type]
        elif key.data is _WAKEUP:
            self._read_signals(now)
        else:
            key.data(now)

    def _read_socket(self, sock: socket.socket, now: int) -> None:
        for _ in range(MAX_DATAGRAMS_PER_WAKEUP):
            received = udp.receive(sock)
            if received is None:
                break
            self.transport.receive_datagram(received[0], received[1], now)
            self._drain_events(now)
        self.endpoint.prune(now)
        self._sync_sockets()

    def _send(self, data: bytes, addr: Any) -> None:
        try:
            self.endpoint.sender().sendto(data, addr)
        except OSError as error:
            too_big = error.errno == errno.EMSGSIZE
            self.transport.send_failed(f"sendto: {error.strerror}", too_big)

    def _drain_events(self, now: int) -> None:
        for event in self.transport.events():
            for handle in self._handlers:
                handle(event, now)

    def _sync_sockets(self) -> None:
        current = self.endpoint.sockets()
        for sock in [s for s in self._sockets if s not in current]:
            self._selector.unregister(sock)
            del self._sockets[sock]
        for sock in current:
            if sock not in self._sockets:
                self._selector.register(sock, selectors.EVENT_READ, _SOCKET)
                self._sockets[sock] = None

    def _open_wakeup(self) -> None:
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        self._wakeup = (read_fd, write_fd)
        self._saved_wakeup_fd = signal.set_wakeup_fd(write_fd)
        self._selector.register(read_fd, selectors.EVENT_READ, _WAKEUP)

    def _read_signals(self, now: int) -> None:
        assert self._wakeup is not None
        try:
            data = os.read(self._wakeup[0], 256)
        except BlockingIOError:
            return
        for signum in data:
            if signum in self._signals:
                self._signals[signum](now)

    def _restore_signals(self) -> None:
        for signum, previous in self._saved_signals.items():
            signal.signal(signum, previous)
        self._saved_signals.clear()
        self._signals.clear()
        if self._wakeup is not None:
            signal.set_wakeup_fd(self._saved_wakeup_fd)
            self._selector.unregister(self._wakeup[0])
            for fd in self._wakeup:
                os.close(fd)
            self._wakeup = None


def _note_signal(signum: int, frame: Any) -> None:
    """Python-level handler: the byte on the wakeup fd is what the loop acts on."""
