"""UDP sockets the way mosh opens them (PROTOCOL.md 2.3, 4.3, 4.5).

The server binds one socket over a port range and never moves; the client
sends from its newest socket but keeps older ones open for receiving, so
replies to datagrams sent before a port hop still arrive.
"""

from __future__ import annotations

import socket
import sys
from typing import Any, Callable, Tuple

DEFAULT_PORT_LOW = 60001
DEFAULT_PORT_HIGH = 60999
MAX_PORTS_OPEN = 10
MAX_OLD_SOCKET_AGE = 60000
RECEIVE_BUFFER = 2049  # one more than mosh's RECEIVE_MTU, so oversize datagrams are noticed
ECT0 = 0x02

# Linux values; Python's socket module does not export them everywhere.
_IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
_IP_PMTUDISC_DONT = getattr(socket, "IP_PMTUDISC_DONT", 0)

Address = Tuple[Any, ...]
Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _best_effort(sock: socket.socket, level: int, option: int, value: int) -> None:
    try:
        sock.setsockopt(level, option, value)
    except OSError:
        pass


def make_socket(family: int) -> socket.socket:
    """A non-blocking UDP socket with mosh's options: no DF bit, ECT(0) marking."""
    sock = socket.socket(family, socket.SOCK_DGRAM)
    if sys.platform.startswith("linux"):
        _best_effort(sock, socket.IPPROTO_IP, _IP_MTU_DISCOVER, _IP_PMTUDISC_DONT)
    _best_effort(sock, socket.IPPROTO_IP, socket.IP_TOS, ECT0)
    sock.setblocking(False)
    return sock


def _passive_address(host: str | None) -> tuple[int, Address]:
    flags = socket.AI_PASSIVE | socket.AI_NUMERICHOST | socket.AI_NUMERICSERV
    try:
        infos = socket.getaddrinfo(host, "0", socket.AF_UNSPEC, socket.SOCK_DGRAM, 0, flags)
    except socket.gaierror as error:
        raise OSError(0, f"Bad IP address ({host}): {error.strerror}") from None
    family, _, _, _, sockaddr = infos[0]
    return family, sockaddr


def _try_bind(host: str | None, low: int, high: int, warn: Warn) -> socket.socket:
    family, sockaddr = _passive_address(host)
    sock = make_socket(family)
    if family == socket.AF_INET6 and sockaddr[0] == "::":
        _best_effort(sock, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    failure = OSError(0, "empty port range")
    for port in range(low, high + 1):
        try:
            sock.bind((sockaddr[0], port) + tuple(sockaddr[2:]))
            return sock
        except OSError as error:
            failure = error
    sock.close()
    warn(f"Failed binding to {sockaddr[0]}:{high}")
    raise OSError(failure.errno, f"bind: {failure.strerror}")


def bind_server(
    ip: str | None = None,
    port_low: int | None = None,
    port_high: int | None = None,
    warn: Warn = _stderr,
) -> socket.socket:
    """Bind mosh-server's socket: the requested IP first, then any address; port 0 = OS choice."""
    low = DEFAULT_PORT_LOW if port_low is None else port_low
    high = DEFAULT_PORT_HIGH if port_high is None else port_high
    if ip is not None:
        try:
            return _try_bind(ip, low, high, warn)
        except OSError as error:
            warn(f"Error binding to IP {ip}: {_describe(error)}")
    try:
        return _try_bind(None, low, high, warn)
    except OSError as error:
        warn(f"Error binding to any interface: {_describe(error)}")
        raise


def _describe(error: OSError) -> str:
    return error.strerror if error.strerror else str(error)


def receive(sock: socket.socket) -> tuple[bytes, Address] | None:
    """One pending datagram and its source, or None when the socket has nothing (more).

    A reported socket error (such as an ICMP port-unreachable) also ends the batch:
    reading it clears it, and the transport's timers take care of the rest.
    """
    try:
        data, addr = sock.recvfrom(RECEIVE_BUFFER)
    except OSError:
        return None
    return data, addr


class ServerEndpoint:
    """The server's single bound socket; it never hops."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def sockets(self) -> list[socket.socket]:
        """Every socket to read from."""
        return [self.sock]

    def sender(self) -> socket.socket:
        """The socket to send from."""
        return self.sock

    def hop(self, now: int) -> None:
        """Servers never hop ports."""
        raise RuntimeError("the server never changes its port")

    def prune(self, now: int) -> None:
        """Nothing to prune with one socket."""

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


class ClientEndpoint:
    """The client's sockets: the newest sends, all of them receive (PROTOCOL.md 4.5)."""

    def __init__(self, family: int, now: int) -> None:
        self.family = family
        self._sockets: list[socket.socket] = [make_socket(family)]
        self._last_hop = now

    def sockets(self) -> list[socket.socket]:
        """Every open socket, oldest first."""
        return list(self._sockets)

    def sender(self) -> socket.socket:
        """The newest socket, which all sends use."""
        return self._sockets[-1]

    def hop(self, now: int) -> None:
        """Open a fresh socket (new source port) for sending; keep the old ones for receiving."""
        self._sockets.append(make_socket(self.family))
        self._last_hop = now
        self.prune(now)

    def prune(self, now: int) -> None:
        """Close old sockets once the newest has been used 60 s, and keep at most 10."""
        if len(self._sockets) < 2:
            return
        if now - self._last_hop > MAX_OLD_SOCKET_AGE:
            self._close_oldest(len(self._sockets) - 1)
        self._close_oldest(len(self._sockets) - MAX_PORTS_OPEN)

    def _close_oldest(self, count: int) -> None:
        for _ in range(max(0, count)):
            self._sockets.pop(0).close()

    def close(self) -> None:
        """Close every socket."""
        self._close_oldest(len(self._sockets))
