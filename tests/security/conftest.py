"""Fixtures for the security tests: those of the e2e and fault tests."""

from __future__ import annotations

from tests.e2e.conftest import e2e_ready, ssh_server, tmux
from tests.faults.fixtures import local_servers, relayed_sessions, tap_relays
from tests.tools.fixtures import moshz_file

__all__ = [
    "e2e_ready",
    "local_servers",
    "moshz_file",
    "relayed_sessions",
    "ssh_server",
    "tap_relays",
    "tmux",
]
