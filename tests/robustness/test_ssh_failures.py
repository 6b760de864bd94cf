"""When ssh fails or the remote side has no working server: one line from moshz, nothing left running.

ssh's own message comes first (moshz shows what ssh and the remote side printed), then
moshz's line on stderr; the status is ssh's 255 when ssh itself failed, else 1. Ctrl-C
while the server starts ends moshz quietly with the status of SIGINT, 130.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

import pytest

from tests.robustness.support import (
    Outcome,
    around,
    assert_clean_failure,
    assert_nothing_left,
    exit_restored,
    run_detached,
)
from tests.tools import sshd
from tests.tools.sshd import SshServer
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e

NOT_FOUND = "moshz: Did not find the server's startup message (MOSH CONNECT)."


def moshz_via(moshz: str, ssh: str, *args: str) -> Outcome:
    """moshz with `--ssh=ssh` and further arguments (the destination last)."""
    return run_detached([moshz, f"--ssh={ssh}", *args])


def with_option(command: str, option: str, value: str) -> str:
    """The ssh command line with the value of one option (`-p`, `-i`) replaced."""
    words = command.split()
    words[words.index(option) + 1] = value
    return " ".join(words)


def stray_key(directory: Path) -> str:
    """A fresh key pair the test sshd does not know; the private key's path."""
    path = directory / "stray_ed25519"
    command = ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    return str(path)


def assert_ssh_failed(outcome: Outcome, destination: str, ssh_says: str) -> None:
    """ssh failed: its message shown, then moshz's one line, status 255."""
    assert_clean_failure(outcome, 255, f"moshz: ssh to {destination} failed (exit status 255).")
    assert len(outcome.stderr.splitlines()) == 1, outcome.stderr
    assert ssh_says in outcome.stdout, outcome.stdout


def test_unknown_host(ssh_server: SshServer, moshz_file: str) -> None:
    outcome = moshz_via(moshz_file, ssh_server.ssh_command, "moshzt@host.invalid")
    assert_ssh_failed(outcome, "moshzt@host.invalid", "Could not resolve hostname")


def test_connection_refused(ssh_server: SshServer, moshz_file: str) -> None:
    ssh = with_option(ssh_server.ssh_command, "-p", str(sshd.free_port()))
    outcome = moshz_via(moshz_file, ssh, ssh_server.destination)
    assert_ssh_failed(outcome, ssh_server.destination, "Connection refused")


def test_wrong_key(ssh_server: SshServer, moshz_file: str, tmp_path: Path) -> None:
    ssh = with_option(ssh_server.ssh_command, "-i", stray_key(tmp_path))
    outcome = moshz_via(moshz_file, ssh, ssh_server.destination)
    assert_ssh_failed(outcome, ssh_server.destination, "Permission denied (publickey)")


def test_ssh_program_missing(moshz_file: str) -> None:
    outcome = moshz_via(moshz_file, "/nonexistent", "moshzt@127.0.0.1")
    assert_clean_failure(outcome, 1, "moshz: Cannot exec /nonexistent: No such file or directory")


@pytest.mark.parametrize(
    "options, first_line, shown",
    [
        (
            ["--no-install"],
            "moshz: no moshz server found on moshzt@127.0.0.1"
            " (looked for moshz on the PATH, ~/moshz, ~/bin/moshz).",
            "",
        ),
        (["--server=/nonexistent", "--no-install"], NOT_FOUND, "/nonexistent: No such file"),
        (["--server=true"], NOT_FOUND, ""),
        (["--server=echo junk; head -c 300 /dev/urandom; echo"], NOT_FOUND, "junk"),
        (
            ["--server=echo MOSH CONNECT abc AAAAAAAAAAAAAAAAAAAAAA; :"],
            "Bad MOSH CONNECT string: MOSH CONNECT abc AAAAAAAAAAAAAAAAAAAAAA",
            "",
        ),
        (
            ["--server=echo MOSH CONNECT 99999 AAAAAAAAAAAAAAAAAAAAAA; :"],
            "Bad MOSH CONNECT string: MOSH CONNECT 99999 AAAAAAAAAAAAAAAAAAAAAA",
            "",
        ),
        (
            ["--server=echo MOSH CONNECT 60001 short; :"],
            "Bad MOSH CONNECT string: MOSH CONNECT 60001 short",
            "",
        ),
        (
            ["--server=echo MOSH CONNECT 60001 AAAAAAAAAAAAAAAAAAAAA!; :"],
            "Bad MOSH CONNECT string: MOSH CONNECT 60001 AAAAAAAAAAAAAAAAAAAAA!",
            "",
        ),
        (
            ["--server=echo MOSH IP 1.2.3.4; echo MOSH IP 5.6.7.8; :"],
            "moshz error: detected attempt to redefine MOSH IP.",
            "",
        ),
    ],
    ids=[
        "no server",
        "server missing",
        "silent",
        "junk",
        "bad port",
        "port 99999",
        "short key",
        "bad key",
        "MOSH IP twice",
    ],
)
def test_remote_side_without_a_working_server(
    ssh_server: SshServer, moshz_file: str, options: Sequence[str], first_line: str, shown: str
) -> None:
    outcome = moshz_via(moshz_file, ssh_server.ssh_command, *options, ssh_server.destination)
    assert_clean_failure(outcome, 1, first_line)
    assert shown in outcome.stdout, outcome.stdout


@pytest.mark.parametrize(
    "options, status",
    [(["--server=echo junk"], 1), (["--ssh=/nonexistent"], 1), (["-p", "0:5"], 2)],
    ids=["junk server", "no ssh", "usage"],
)
def test_failures_in_a_terminal_leave_it_as_it_was(
    ssh_server: SshServer,
    moshz_file: str,
    tmux: Tmux,
    tmp_path: Path,
    options: Sequence[str],
    status: int,
) -> None:
    argv = [moshz_file, f"--ssh={ssh_server.ssh_command}", *options, ssh_server.destination]
    pane = tmux.new_pane(around(argv, tmp_path / "run"))
    assert exit_restored(pane, tmp_path / "run") == status, pane.dump()
    assert "Traceback" not in pane.capture(), pane.dump()


@pytest.mark.parametrize("where", ["local", "ssh"])
def test_ctrl_c_while_the_server_starts(
    ssh_server: SshServer, moshz_file: str, tmux: Tmux, tmp_path: Path, where: str
) -> None:
    server = "--server=echo starting; sleep 30; :"
    if where == "local":
        argv = [moshz_file, "--local", server]
    else:  # without a pty, so that the terminal still turns Ctrl-C into SIGINT
        ssh = f"--ssh={ssh_server.ssh_command}"
        argv = [moshz_file, ssh, "--no-ssh-pty", server, ssh_server.destination]
    pane = tmux.new_pane(around(argv, tmp_path / "run"))
    pane.wait_for_text("starting", timeout=30)
    pane.send_keys("C-c")
    assert exit_restored(pane, tmp_path / "run") == 130, pane.dump()
    assert "Traceback" not in pane.capture(), pane.dump()
    assert_nothing_left(tmux)
