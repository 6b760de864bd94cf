"""A clock you set by hand and a seeded source of random bytes."""

from __future__ import annotations

import random
from typing import Callable


class FakeClock:
    """Integer milliseconds that move only when a test says so."""

    def __init__(self, start: int = 1_000_000) -> None:
        self.now = start

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> int:
        """Move forward by ``ms`` and return the new time."""
        self.now += ms
        return self.now


def seeded_rand(seed: int) -> Callable[[int], bytes]:
    """A deterministic stand-in for os.urandom."""
    generator = random.Random(seed)

    def rand(count: int) -> bytes:
        return bytes(generator.getrandbits(8) for _ in range(count))

    return rand
