"""A seeded lossy network: drops, duplicates, delays (hence reorders) and outages.

Datagrams are routed by destination address. Every decision comes from one
``random.Random(seed)``, so a run is reproducible from its seed.
"""

from __future__ import annotations

import heapq
import itertools
import random
from dataclasses import dataclass, field
from typing import Any, Tuple

Address = Tuple[Any, ...]


@dataclass(frozen=True)
class Conditions:
    """How the network treats each datagram."""

    loss: float = 0.0
    duplicate: float = 0.0
    min_delay: int = 10
    max_delay: int = 10


LOSSLESS = Conditions()


@dataclass(order=True)
class InFlight:
    """A datagram on its way."""

    deliver_at: int
    order: int
    src: Address = field(compare=False)
    dst: Address = field(compare=False)
    data: bytes = field(compare=False)


class FakeNetwork:
    """Carries datagrams between addresses under seeded ``Conditions``."""

    def __init__(self, seed: int, conditions: Conditions = LOSSLESS) -> None:
        self.conditions = conditions
        self.up = True
        self.sent: list[InFlight] = []
        self._rng = random.Random(seed)
        self._queue: list[InFlight] = []
        self._order = itertools.count()

    def send(self, data: bytes, src: Address, dst: Address, now: int) -> None:
        """Put a datagram on the wire (it may be lost, doubled or delayed)."""
        self.sent.append(InFlight(now, 0, src, dst, data))
        c = self.conditions
        if not self.up or self._rng.random() < c.loss:
            return
        copies = 2 if self._rng.random() < c.duplicate else 1
        for _ in range(copies):
            delay = self._rng.randint(c.min_delay, c.max_delay)
            heapq.heappush(self._queue, InFlight(now + delay, next(self._order), src, dst, data))

    def next_delivery(self) -> int | None:
        """When the next datagram arrives (None: nothing in flight)."""
        return self._queue[0].deliver_at if self._queue else None

    def due(self, now: int) -> list[InFlight]:
        """Remove and return every datagram arriving by ``now``, in arrival order."""
        arrived = []
        while self._queue and self._queue[0].deliver_at <= now:
            arrived.append(heapq.heappop(self._queue))
        return arrived
