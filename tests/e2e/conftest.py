"""Fixtures for end-to-end tests: a real sshd with a test user, a private tmux, relays, the
one-file moshz."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.tools import sshd
from tests.tools.fixtures import moshz_file, relay_factory
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

__all__ = ["moshz_file", "relay_factory"]


@pytest.fixture(scope="session")
def e2e_ready() -> None:
    """Skip (with the reason) where e2e tests cannot run: not root, or programs missing."""
    missing = sshd.missing_requirements()
    if missing:
        pytest.skip("e2e prerequisites missing: " + "; ".join(missing))


@pytest.fixture(scope="session")
def ssh_server(e2e_ready: None) -> Iterator[SshServer]:
    """sshd on 127.0.0.1 for the whole session; `.ssh_command` is the value for `--ssh=`."""
    server = sshd.start_server()
    try:
        yield server
    finally:
        sshd.stop_server(server)


@pytest.fixture
def tmux(e2e_ready: None) -> Iterator[Tmux]:
    """A private tmux server for one test, killed (with everything in it) afterwards."""
    server = Tmux()
    try:
        yield server
    finally:
        server.kill()
