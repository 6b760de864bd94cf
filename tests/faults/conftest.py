"""Fixtures for the fault tests: tmux and the one-file build from the e2e tests, local servers,
recording relays."""

from __future__ import annotations

from tests.e2e.conftest import e2e_ready, tmux
from tests.faults.fixtures import local_servers, relayed_sessions, tap_relays
from tests.tools.fixtures import moshz_file

__all__ = ["e2e_ready", "local_servers", "moshz_file", "relayed_sessions", "tap_relays", "tmux"]
