"""Self-install through a real sshd: an account with no moshz gets a session from the client alone."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.client.e2e_support import run_and_exit
from tests.e2e.selfinstall_support import (
    SshLog,
    cached_path,
    client_pane,
    fresh_server,
    private_tmp,
    reset_account,
    session_pane,
)
from tests.tools.account import write_owned
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e
__all__ = ["fresh_server"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_first_connection_installs_and_the_second_sends_nothing(
    tmux: Tmux, fresh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    account = fresh_server.account
    reset_account(account)
    before = set(os.listdir(account.home))
    log = SshLog(tmp_path, fresh_server)
    run_and_exit(session_pane(tmux, moshz_file, fresh_server, log))
    assert log.connections() == ["launch", "upload"]
    cached = cached_path(account.home / ".cache" / "moshz", moshz_file)
    info = cached.stat()
    assert (info.st_uid, info.st_mode & 0o777) == (account.uid, 0o700)
    assert _sha256(cached) == _sha256(Path(moshz_file))
    assert set(os.listdir(cached.parent)) == {cached.name}
    assert set(os.listdir(account.home)) - before <= {".cache", ".shiv"}
    assert "(sha256 checked)" in log.remote_output()
    assert "sending this file" in log.client_errors()

    run_and_exit(session_pane(tmux, moshz_file, fresh_server, log))
    assert log.connections() == ["launch", "upload", "launch"]
    assert cached.stat().st_ino == info.st_ino


def test_a_cached_file_with_the_wrong_hash_is_replaced_not_run(
    tmux: Tmux, fresh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    account = fresh_server.account
    reset_account(account)
    cached = cached_path(account.home / ".cache" / "moshz", moshz_file)
    cached.parent.mkdir(parents=True)
    os.chown(cached.parent.parent, account.uid, account.gid)
    os.chown(cached.parent, account.uid, account.gid)
    planted = f"#!/bin/sh\ntouch {account.home}/planted-ran\n".encode()
    write_owned(account, cached, planted, 0o700)
    log = SshLog(tmp_path, fresh_server)
    run_and_exit(session_pane(tmux, moshz_file, fresh_server, log))
    assert log.connections() == ["launch", "upload"]
    assert not (account.home / "planted-ran").exists()
    assert _sha256(cached) == _sha256(Path(moshz_file))


def test_a_read_only_home_gets_a_session_from_a_private_temp_dir(
    tmux: Tmux, fresh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    account = fresh_server.account
    reset_account(account)
    os.chmod(account.home, 0o555)
    try:
        log = SshLog(tmp_path, fresh_server)
        run_and_exit(session_pane(tmux, moshz_file, fresh_server, log))
    finally:
        os.chmod(account.home, 0o755)
    assert log.connections() == ["launch", "upload"]
    private = private_tmp(account)
    assert (private.stat().st_uid, private.stat().st_mode & 0o777) == (account.uid, 0o700)
    assert _sha256(cached_path(private / "cache", moshz_file)) == _sha256(Path(moshz_file))
    assert not (account.home / ".cache").exists()


def test_no_install_sends_nothing_and_says_so(
    tmux: Tmux, fresh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    account = fresh_server.account
    reset_account(account)
    log = SshLog(tmp_path, fresh_server)
    pane = client_pane(tmux, moshz_file, fresh_server, log, "--no-install")
    assert pane.wait_exit() == 1, pane.dump()
    assert "--no-install" in log.client_errors()
    assert log.connections() == ["launch"]
    assert not (account.home / ".cache").exists()
