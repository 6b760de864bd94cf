"""Pytest fixtures shared by the tools' own tests and the e2e tests (import them by name)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import pytest

from tests.tools.relay import Relay

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.fixture(scope="session")
def moshz_file(e2e_ready: None) -> Iterator[str]:
    """Path of a one-file moshz the test user can run: $MOSHZ_FILE, or a fresh build."""
    given = os.environ.get("MOSHZ_FILE")
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="moshz-e2e-build-") as directory:
        os.chmod(directory, 0o755)
        output = os.path.join(directory, "moshz")
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "-o", output],
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield output
