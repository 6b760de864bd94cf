"""Pytest fixtures shared by the tools' own tests and the e2e tests (import them by name)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

from tests.tools.relay import Relay

RelayFactory = Callable[..., Relay]


@pytest.fixture
def relay_factory() -> Iterator[RelayFactory]:
    """`make(target_port, **kwargs)` starts a Relay toward 127.0.0.1:target_port (kwargs as for
    `Relay`); every relay made is stopped after the test."""
    made: list[Relay] = []

    def make(target_port: int, **kwargs: Any) -> Relay:
        relay = Relay(("127.0.0.1", target_port), **kwargs).start()
        made.append(relay)
        return relay

    try:
        yield make
    finally:
        for relay in made:
            relay.stop()
