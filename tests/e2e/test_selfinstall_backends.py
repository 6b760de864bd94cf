"""A self-installed session whose two sides use different crypto backends, each saying which (-v)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from tests.client.e2e_support import run_and_exit
from tests.e2e.selfinstall_support import SshLog, fresh_server, reset_account, session_pane
from tests.tools.account import make_private_dir, write_owned
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e
__all__ = ["fresh_server"]

BLOCKER = "blocked-imports"
BLOCKED = 'raise ImportError("cryptography is blocked by the test")\n'


def _block_cryptography(server: SshServer) -> None:
    """Make the remote Python fail to import cryptography (PYTHONPATH comes before shiv's)."""
    account = server.account
    package = account.home / BLOCKER / "cryptography"
    make_private_dir(account, package.parent, 0o755)
    make_private_dir(account, package, 0o755)
    write_owned(account, package / "__init__.py", BLOCKED.encode(), 0o644)
    reset_account(account, f'export PYTHONPATH="$HOME/{BLOCKER}"\n')


@pytest.fixture
def blocked_server(fresh_server: SshServer) -> Iterator[SshServer]:
    """The test account with cryptography blocked for its Pythons, unblocked afterwards."""
    _block_cryptography(fresh_server)
    try:
        yield fresh_server
    finally:
        shutil.rmtree(fresh_server.account.home / BLOCKER)
        reset_account(fresh_server.account)


def test_server_without_cryptography_and_native_client(
    tmux: Tmux, blocked_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    log = SshLog(tmp_path, blocked_server)
    pane = session_pane(tmux, moshz_file, blocked_server, log, MOSHZ_CRYPTO="auto")
    pane.line("python3 -c 'import cryptography' 2>&1 | tail -n 1")
    pane.wait_for_text("blocked by the test")
    run_and_exit(pane)
    assert "moshz remote: crypto: pure (cryptography not importable" in log.remote_output()
    assert "moshz local: crypto: native" in log.client_errors()


def test_pure_client_and_native_server(
    tmux: Tmux, fresh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    reset_account(fresh_server.account)
    log = SshLog(tmp_path, fresh_server)
    run_and_exit(session_pane(tmux, moshz_file, fresh_server, log, MOSHZ_CRYPTO="pure"))
    assert "moshz remote: crypto: native" in log.remote_output()
    assert "moshz local: crypto: pure (MOSHZ_CRYPTO=pure)" in log.client_errors()
