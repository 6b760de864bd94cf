"""Fixtures of the robustness tests: the e2e ones (sshd, tmux, the one-file build, local servers)."""

from __future__ import annotations

from tests.e2e.conftest import e2e_ready, ssh_server, tmux
from tests.faults.fixtures import local_servers
from tests.tools.fixtures import moshz_file

__all__ = ["e2e_ready", "local_servers", "moshz_file", "ssh_server", "tmux"]
