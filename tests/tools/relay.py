"""A UDP relay between a mosh client and server that makes the network worse on purpose.

The client talks to the relay's listen port; the relay forwards to the server from a source
socket of its own, and sends the server's replies back to the client's latest address. Each
direction ("up": client to server, "down": server to client) has its own delay, jitter, loss,
duplication and reordering; outages drop everything for a while; `roam()` moves the source
socket to a new address and port (127.0.0.2, 127.0.0.3, ...) as a changing network would.
All chance comes from one seeded generator; all work happens on one background thread.
"""

from __future__ import annotations

import heapq
import math
import queue
import random
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, NamedTuple

Address = tuple  # (host, port)
DIRECTIONS = ("up", "down")
MAX_DATAGRAM = 65535
READ_BATCH = 64
CALL_TIMEOUT = 10.0
FIRST_ROAM_HOST = 2
LAST_ROAM_HOST = 254


@dataclass(frozen=True)
class Impairment:
    """How one direction treats datagrams (probabilities are per datagram, 0 to 1)."""

    delay_ms: float = 0.0
    jitter_ms: float = 0.0  # extra delay drawn uniformly from [0, jitter_ms]: may reorder
    loss: float = 0.0
    duplicate: float = 0.0  # chance of a second copy, sent with the first
    reorder: float = 0.0  # chance of holding a datagram back until the next one has gone
    reorder_hold_ms: float = 200.0  # a held datagram goes anyway after this long


@dataclass
class Counters:
    """What happened to the datagrams of one direction."""

    received: int = 0
    forwarded: int = 0  # datagrams sent on, duplicates included
    dropped: int = 0  # lost on purpose, in an outage, or unsendable
    duplicated: int = 0
    reordered: int = 0


@dataclass(frozen=True)
class Stats:
    """A consistent snapshot of the relay's counters and addresses."""

    up: Counters
    down: Counters
    roams: int
    source: Address
    client: Address | None


@dataclass(order=True)
class _Pending:
    due: float
    order: int
    direction: str = field(compare=False)
    data: bytes = field(compare=False)


class _Held(NamedTuple):
    data: bytes
    copies: int
    release: float  # when it goes even if nothing overtook it


def next_roam_host(host: str) -> str:
    """The loopback address after `host` in the roaming cycle 127.0.0.2 ... 127.0.0.254."""
    last = int(host.rsplit(".", 1)[1])
    following = last + 1 if FIRST_ROAM_HOST <= last < LAST_ROAM_HOST else FIRST_ROAM_HOST
    return f"127.0.0.{following}"


def _udp_socket(address: Address) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.setblocking(False)
    return sock


class Relay:
    """The relay; parameters may change while it runs (every change waits for the thread)."""

    def __init__(
        self,
        target: Address,
        listen: Address = ("127.0.0.1", 0),
        up: Impairment = Impairment(),
        down: Impairment = Impairment(),
        seed: int = 0,
        source_host: str = "127.0.0.1",
    ) -> None:
        self.target = (target[0], int(target[1]))
        self._impairments = {"up": up, "down": down}
        self._counters = {direction: Counters() for direction in DIRECTIONS}
        self._random = random.Random(seed)
        self._listen = _udp_socket(listen)
        self._source = _udp_socket((source_host, 0))
        self._client: Address | None = None
        self._pending: list[_Pending] = []
        self._order = 0
        self._held: dict[str, _Held | None] = {"up": None, "down": None}
        self._blocked_until = {"up": 0.0, "down": 0.0}
        self._roam_period: float | None = None
        self._next_roam = math.inf
        self._roams = 0
        self._calls: queue.Queue[tuple[Callable[[], Any], list[Any], threading.Event]] = (
            queue.Queue()
        )
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listen, selectors.EVENT_READ, "up")
        self._selector.register(self._source, selectors.EVENT_READ, "down")
        self._selector.register(self._wake_reader, selectors.EVENT_READ, None)
        self._thread: threading.Thread | None = None
        self._running = False

    @property
    def port(self) -> int:
        """The UDP port clients should send to."""
        return self._listen.getsockname()[1]

    @property
    def listen_address(self) -> Address:
        """(host, port) clients should send to."""
        return self._listen.getsockname()

    def start(self) -> Relay:
        """Start forwarding on a background thread; returns the relay for chaining."""
        self._running = True
        self._thread = threading.Thread(target=self._run, name="moshz-relay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and close every socket (pending datagrams are discarded)."""
        if self._thread is not None:
            self._call(self._halt)
            self._thread.join(CALL_TIMEOUT)
            self._thread = None
        self._selector.close()
        for sock in (self._listen, self._source, self._wake_reader, self._wake_writer):
            sock.close()

    # Control, from any thread.

    def impair(self, direction: str = "both", **changes: float) -> None:
        """Change Impairment fields of one direction ("up", "down") or "both"."""
        for name in DIRECTIONS if direction == "both" else (direction,):
            self._call(lambda name=name: self._set_impairment(name, changes))

    def impairment(self, direction: str) -> Impairment:
        """The current impairment of "up" or "down"."""
        return self._impairments[direction]

    def outage(self, seconds: float | None = None, direction: str = "both") -> None:
        """Drop every datagram (of one direction or both) for `seconds`, or until `end_outage`."""
        self._call(lambda: self._block(direction, seconds))

    def end_outage(self) -> None:
        """Forward again in both directions."""
        self._call(lambda: self._block("both", 0.0))

    def roam(self) -> Address:
        """Move the source socket to the next loopback address and a new port; return it."""
        return self._call(self._roam_now)

    def roam_every(self, seconds: float | None) -> None:
        """Roam periodically (None stops it)."""
        self._call(lambda: self._set_roam_period(seconds))

    def stats(self) -> Stats:
        """Counters and addresses as of now."""
        return self._call(self._snapshot)

    # Everything below runs on the relay thread (or before it starts).

    def _call(self, function: Callable[[], Any]) -> Any:
        """Run `function` on the relay thread and return its result."""
        if self._thread is None:
            return function()
        box: list[Any] = []
        done = threading.Event()
        self._calls.put((function, box, done))
        self._wake_writer.send(b"x")
        if not done.wait(CALL_TIMEOUT):
            raise RuntimeError("relay thread did not answer")
        return box[0]

    def _run_calls(self) -> None:
        while not self._calls.empty():
            function, box, done = self._calls.get()
            box.append(function())
            done.set()

    def _halt(self) -> None:
        self._running = False

    def _set_impairment(self, direction: str, changes: dict[str, float]) -> None:
        self._impairments[direction] = replace(self._impairments[direction], **changes)

    def _block(self, direction: str, seconds: float | None) -> None:
        until = math.inf if seconds is None else time.monotonic() + seconds
        for name in DIRECTIONS if direction == "both" else (direction,):
            self._blocked_until[name] = until

    def _set_roam_period(self, seconds: float | None) -> None:
        self._roam_period = seconds
        self._next_roam = math.inf if seconds is None else time.monotonic() + seconds

    def _roam_now(self) -> Address:
        fresh = _udp_socket((next_roam_host(self._source.getsockname()[0]), 0))
        self._selector.unregister(self._source)
        self._source.close()
        self._source = fresh
        self._selector.register(fresh, selectors.EVENT_READ, "down")
        self._roams += 1
        return fresh.getsockname()

    def _snapshot(self) -> Stats:
        up, down = (replace(self._counters[d]) for d in DIRECTIONS)
        return Stats(up, down, self._roams, self._source.getsockname(), self._client)

    def _run(self) -> None:
        while self._running:
            for key, _ in self._selector.select(self._wait_time()):
                if key.data is None:
                    self._drain_wakeups()
                else:
                    self._read(key.fileobj, key.data)
            self._run_timers(time.monotonic())

    def _wait_time(self) -> float:
        deadlines = [self._next_roam, *(h.release for h in self._held.values() if h)]
        if self._pending:
            deadlines.append(self._pending[0].due)
        return max(0.0, min(deadlines) - time.monotonic()) if min(deadlines) < math.inf else 1.0

    def _drain_wakeups(self) -> None:
        try:
            self._wake_reader.recv(4096)
        except BlockingIOError:
            pass
        self._run_calls()

    def _read(self, sock: Any, direction: str) -> None:
        for _ in range(READ_BATCH):
            try:
                data, sender = sock.recvfrom(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # an ICMP error reported on the socket; nothing was received
            if direction == "up":
                self._client = sender
            self._ingest(direction, data, time.monotonic())

    def _ingest(self, direction: str, data: bytes, now: float) -> None:
        """Apply one direction's impairment to a received datagram."""
        impairment = self._impairments[direction]
        counters = self._counters[direction]
        counters.received += 1
        lost, doubled, held = (self._random.random() for _ in range(3))
        if now < self._blocked_until[direction] or lost < impairment.loss:
            counters.dropped += 1
            return
        copies = 2 if doubled < impairment.duplicate else 1
        counters.duplicated += copies - 1
        waiting = self._held[direction]
        if waiting is None and held < impairment.reorder:
            counters.reordered += 1
            self._held[direction] = _Held(data, copies, now + impairment.reorder_hold_ms / 1000)
            return
        self._schedule(direction, data, copies, now)
        if waiting is not None:
            self._release(direction, waiting, now)

    def _schedule(self, direction: str, data: bytes, copies: int, now: float) -> None:
        impairment = self._impairments[direction]
        delay = impairment.delay_ms + self._random.uniform(0.0, impairment.jitter_ms)
        for _ in range(copies):
            self._order += 1
            heapq.heappush(
                self._pending, _Pending(now + delay / 1000, self._order, direction, data)
            )

    def _release(self, direction: str, waiting: _Held, now: float) -> None:
        self._held[direction] = None
        self._schedule(direction, waiting.data, waiting.copies, now)

    def _run_timers(self, now: float) -> None:
        if now >= self._next_roam and self._roam_period is not None:
            self._roam_now()
            self._next_roam = now + self._roam_period
        for direction, waiting in list(self._held.items()):
            if waiting is not None and now >= waiting.release:
                self._release(direction, waiting, now)
        while self._pending and self._pending[0].due <= now:
            self._send(heapq.heappop(self._pending))

    def _send(self, item: _Pending) -> None:
        counters = self._counters[item.direction]
        if item.direction == "up":
            sock, destination = self._source, self.target
        else:
            sock, destination = self._listen, self._client
        try:
            if destination is None:
                raise OSError("no client has sent anything yet")
            sock.sendto(item.data, destination)
            counters.forwarded += 1
        except OSError:
            counters.dropped += 1


if __name__ == "__main__":
    from tests.tools.relay_cli import main

    raise SystemExit(main())
