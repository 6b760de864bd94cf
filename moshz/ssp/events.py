"""What the transport tells its owner, pulled with ``Transport.next_event()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Tuple, Union

Address = Tuple[Any, ...]


@dataclass(frozen=True)
class RemoteStateChanged:
    """A newer remote state arrived in order; ``Transport.remote_state`` now holds it."""

    num: int


@dataclass(frozen=True)
class PeerAddressChanged:
    """The server (re)attached to a client address, or detached from it (``addr`` None)."""

    addr: Address | None


@dataclass(frozen=True)
class ShutdownAcknowledged:
    """The peer acknowledged our shutdown request: the session may end cleanly."""


@dataclass(frozen=True)
class PeerShutdownAcknowledged:
    """We sent the acknowledgement of the peer's shutdown request: the session is over."""


@dataclass(frozen=True)
class ShutdownTimedOut:
    """Our shutdown request went unacknowledged (16 tries or 10 s): give up."""


@dataclass(frozen=True)
class DatagramRejected:
    """A datagram was dropped (bad tag, wrong direction, malformed content); nothing changed."""

    reason: str


Event = Union[
    RemoteStateChanged,
    PeerAddressChanged,
    ShutdownAcknowledged,
    PeerShutdownAcknowledged,
    ShutdownTimedOut,
    DatagramRejected,
]
