"""Pytest fixtures shared by the tools' own tests and the e2e tests (import them by name)."""

from __future__ import annotations

from typing import Any, Callable, Iterator, TypeVar

import pytest

from tests.tools.relay import Relay

R = TypeVar("R", bound=Relay)
RelayFactory = Callable[..., Relay]


def relays_of(kind: Callable[..., R]) -> Iterator[Callable[..., R]]:
    """The body of a relay fixture: yields `make(target_port, **kwargs)`, which starts a `kind`
    toward 127.0.0.1:target_port (kwargs as for `Relay`); every relay made is stopped after."""
    made: list[R] = []

    def make(target_port: int, **kwargs: Any) -> R:
        relay = kind(("127.0.0.1", target_port), **kwargs)
        relay.start()
        made.append(relay)
        return relay

    try:
        yield make
    finally:
        for relay in made:
            relay.stop()


@pytest.fixture
def relay_factory() -> Iterator[RelayFactory]:
    """`make(target_port, **kwargs)` starts a Relay toward 127.0.0.1:target_port (kwargs as for
    `Relay`); every relay made is stopped after the test."""
    yield from relays_of(Relay)

