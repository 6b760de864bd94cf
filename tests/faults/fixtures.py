"""Fixtures of the fault and security tests (their conftest files import them by name)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.faults.local import LocalServer, TapRelay, start_server, stop_server

ServerFactory = Callable[..., LocalServer]
RelayFactory = Callable[..., TapRelay]


@pytest.fixture
def local_servers(moshz_file: str, tmp_path: Path) -> Iterator[ServerFactory]:
    """`start(env=None, verbose=False)` runs a local moshz server; all are ended afterwards."""
    started: list[LocalServer] = []

    def start(env: dict[str, str] | None = None, verbose: bool = False) -> LocalServer:
        home = tmp_path / f"server{len(started)}"
        home.mkdir()
        server = start_server(moshz_file, home, env, verbose)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            stop_server(server)


@pytest.fixture
def tap_relays() -> Iterator[RelayFactory]:
    """`make(target_port, **kwargs)` starts a TapRelay to 127.0.0.1:target_port; all are
    stopped afterwards."""
    made: list[TapRelay] = []

    def make(target_port: int, **kwargs: Any) -> TapRelay:
        relay = TapRelay(("127.0.0.1", target_port), **kwargs).start()
        made.append(relay)
        return relay

    try:
        yield make
    finally:
        for relay in made:
            relay.stop()
