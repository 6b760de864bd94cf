"""What moshz says when it cannot start a session: ssh failures, no server, bad input."""

from __future__ import annotations

import os
import subprocess
from typing import Iterator

import pytest

from tests.client.e2e_support import run_and_exit, ssh_pane
from tests.tools import sshd
from tests.tools.account import make_private_dir, write_owned
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e

ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color"}


def run(moshz: str, *args: str, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[str]:
    """moshz without a terminal: everything here fails before it would need one."""
    env = {**ENV, "HOME": os.environ.get("HOME", "/root"), "LANG": lang}
    return subprocess.run(
        [moshz, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ssh_option(ssh_server: SshServer, port: int | None = None) -> str:
    command = ssh_server.ssh_command
    if port is not None:
        command = command.replace(f"-p {ssh_server.port}", f"-p {port}")
    return f"--ssh={command}"


@pytest.mark.parametrize(
    "destination, message",
    [
        ("moshzt@host.invalid", "Could not resolve hostname"),
        ("nobody@127.0.0.1", "Permission denied"),
    ],
)
def test_ssh_failures_show_ssh_messages(
    ssh_server: SshServer, moshz_file: str, destination: str, message: str
) -> None:
    done = run(moshz_file, ssh_option(ssh_server), destination)
    assert done.returncode == 255
    assert message in done.stdout
    assert "moshz: ssh to" in done.stderr


def test_connection_refused(ssh_server: SshServer, moshz_file: str) -> None:
    done = run(moshz_file, ssh_option(ssh_server, sshd.free_port()), ssh_server.destination)
    assert done.returncode == 255
    assert "Connection refused" in done.stdout


def test_no_server_on_the_remote_side_says_what_to_do(
    ssh_server: SshServer, moshz_file: str
) -> None:
    done = run(moshz_file, ssh_option(ssh_server), "--no-install", ssh_server.destination)
    assert done.returncode == 1
    assert "no moshz server found on moshzt@127.0.0.1" in done.stderr
    assert "~/bin/moshz" in done.stderr and "--server=mosh-server" in done.stderr


@pytest.mark.parametrize(
    "server, message",
    [
        ("echo MOSH CONNECT 60001 tooshort", "Bad MOSH CONNECT string: MOSH CONNECT 60001"),
        ("true", "Did not find the server's startup message"),
    ],
)
def test_bad_startup_output(
    ssh_server: SshServer, moshz_file: str, server: str, message: str
) -> None:
    done = run(moshz_file, ssh_option(ssh_server), f"--server={server}", ssh_server.destination)
    assert done.returncode == 1
    assert message in done.stderr


def test_non_utf8_locale_gets_moshs_advice(moshz_file: str) -> None:
    done = run(moshz_file, "--local", lang="C")
    assert done.returncode == 1
    assert "moshz needs a UTF-8 native locale to run." in done.stderr
    assert 'the character set "US-ASCII"' in done.stderr


def test_unknown_option_is_a_usage_error(moshz_file: str) -> None:
    done = run(moshz_file, "--bogus", "host")
    assert done.returncode == 2
    assert "unknown option --bogus" in done.stderr and "Usage: moshz" in done.stderr


@pytest.fixture
def home_bin_moshz(ssh_server: SshServer, moshz_file: str) -> Iterator[None]:
    """A copy of moshz in the test user's ~/bin, where moshz looks without --server."""
    account = ssh_server.account
    make_private_dir(account, account.home / "bin", 0o755)
    path = account.home / "bin" / "moshz"
    with open(moshz_file, "rb") as source:
        write_owned(account, path, source.read(), 0o755)
    try:
        yield
    finally:
        path.unlink()


def test_default_server_found_in_home_bin(
    ssh_server: SshServer, tmux: Tmux, moshz_file: str, home_bin_moshz: None
) -> None:
    pane = ssh_pane(tmux, ssh_server, [moshz_file, ssh_option(ssh_server)])
    run_and_exit(pane)


def test_silent_server_keeps_the_bar_and_escape_quits(tmux: Tmux, moshz_file: str) -> None:
    port = sshd.free_port()
    env = {"MOSH_KEY": "AAAAAAAAAAAAAAAAAAAAAA"}
    pane = tmux.new_pane([moshz_file, "--client", "127.0.0.1", str(port)], env=env)
    pane.wait_for_text(f"mosh: Nothing received from server on UDP port {port}.")
    pane.send_bytes(b"\x1e.")
    assert pane.wait_exit(timeout=30) == 1, pane.dump()
    assert "[mosh is exiting.]" in pane.capture()
