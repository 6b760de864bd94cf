"""Fixtures of the fault and security tests (their conftest files import them by name)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pytest

from tests.faults.local import LocalServer, TapRelay, open_client, start_server, stop_server
from tests.tools.fixtures import relays_of
from tests.tools.tmux import Pane, Tmux

ServerFactory = Callable[..., LocalServer]
RelayFactory = Callable[..., TapRelay]


class RelayedSession(NamedTuple):
    """A local server, the recording relay in front of it, and a client talking through it."""

    server: LocalServer
    relay: TapRelay
    pane: Pane


SessionFactory = Callable[..., RelayedSession]


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
    yield from relays_of(TapRelay)


@pytest.fixture
def relayed_sessions(
    tmux: Tmux, local_servers: ServerFactory, tap_relays: RelayFactory, moshz_file: str
) -> SessionFactory:
    """`open(client="mosh-client", env=None, verbose=False, **relay_kwargs)`: a local server
    (as `local_servers`), a TapRelay toward it and a client in tmux reaching it through the
    relay, the prompt shown; all are ended afterwards."""

    def open_(
        client: str = "mosh-client",
        env: dict[str, str] | None = None,
        verbose: bool = False,
        **relay_kwargs: object,
    ) -> RelayedSession:
        server = local_servers(env, verbose)
        relay = tap_relays(server.port, **relay_kwargs)
        return RelayedSession(
            server, relay, open_client(tmux, client, moshz_file, relay.port, server.key)
        )

    return open_
