"""Self-install on the client side: the commands, the marker lines, the messages, our own file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from moshz.client.args import WrapperOptions
from moshz.client.bootstrap import NO_SERVER_MARKER, BootstrapError, remote_command, ssh_argv
from moshz.client.remote_launch import (
    INSTALL_MARKER,
    NO_CACHE_MARKER,
    NO_PYTHON_MARKER,
    UPLOAD_FAILED_MARKER,
)
from moshz.client.selfinstall import SelfInstall
from moshz.runtime.selfpath import SelfFile, file_sha256, running_file, self_file

FAKE = b'#!/usr/bin/env python3\nimport sys\nprint("MOSH CONNECT 60001 " + "A" * 22)\n'
SHA = hashlib.sha256(FAKE).hexdigest()
ARGS = ["new", "-c", "256", "-s", "-l", "LANG=C.UTF-8"]


def install(enabled: bool = True, file: SelfFile | None = None) -> SelfInstall:
    return SelfInstall(enabled, file or SelfFile("/x/moshz", SHA, len(FAKE)))


def problem(*lines: str, uploaded: bool = False, plan: SelfInstall | None = None) -> str:
    """The error message after feeding lines to a fresh reader."""
    reader = (plan or install()).reader("me@host", None, uploaded)
    for line in lines:
        assert reader.feed(line) is None
    with pytest.raises(BootstrapError) as caught:
        reader.result()
    return str(caught.value)


def test_the_launch_carries_our_hash_only_when_self_install_is_on() -> None:
    assert install().launch().sha256 == SHA
    assert install().launch(receive=True).receive
    assert install(enabled=False).launch(receive=True) == (None, False, False)
    assert SelfInstall(True, None).launch().sha256 is None


def test_an_install_marker_asks_for_one_upload() -> None:
    reader = install().reader("host", None)
    assert reader.feed("") is None and reader.feed(f"{INSTALL_MARKER} /home/me/.cache/moshz\r") is None
    assert reader.wants_upload and reader.install_dir == "/home/me/.cache/moshz"
    again = install().reader("host", None, uploaded=True)
    again.feed(f"{INSTALL_MARKER} /home/me/.cache/moshz")
    assert not again.wants_upload
    with pytest.raises(BootstrapError, match="did not start"):
        again.result()


def test_other_lines_still_reach_the_startup_reader() -> None:
    reader = install().reader("host", None)
    assert reader.feed("hello from .bashrc") == "hello from .bashrc"
    reader.feed("MOSH CONNECT 60001 " + "A" * 22)
    assert reader.done and not reader.wants_upload and reader.result().port == 60001


def test_no_python_says_what_to_install() -> None:
    text = problem(f"{NO_PYTHON_MARKER} Python 3.6.9\r")
    assert "me@host has no Python 3.8 or newer (python3 there is Python 3.6.9)" in text
    assert "apt install python3" in text and "dnf install python3" in text
    assert "(python3 there" not in problem(NO_PYTHON_MARKER)


def test_cache_and_upload_failures_are_explained() -> None:
    assert "~/.cache/moshz nor ${TMPDIR:-/tmp}/moshz-<uid>/cache" in problem(NO_CACHE_MARKER)
    assert "arrived damaged (sha256 abc)" in problem(f"{UPLOAD_FAILED_MARKER} abc", uploaded=True)
    assert "disk full" in problem(f"{UPLOAD_FAILED_MARKER} write", uploaded=True)
    assert "sha256sum" in problem(f"{UPLOAD_FAILED_MARKER} unverifiable", uploaded=True)


def test_nothing_installed_says_why_moshz_did_not_send_itself() -> None:
    assert "--no-install" in problem(NO_SERVER_MARKER, plan=install(enabled=False))
    from_source = problem(NO_SERVER_MARKER, plan=SelfInstall(True, None))
    assert "no moshz server found on me@host" in from_source
    assert "runs from source" in from_source and "build.py" in from_source


def test_the_upload_ssh_forwards_stdin_without_a_pty() -> None:
    opts = WrapperOptions(host="me@host", ssh=("ssh", "-p", "2222"), family="inet")
    assert ssh_argv(opts, "CMD") == ["ssh", "-p", "2222", "-n", "-tt", "-4", "me@host", "--", "CMD"]
    assert ssh_argv(opts, "CMD", upload=True) == ["ssh", "-p", "2222", "-T", "-4", "me@host", "--", "CMD"]


def _remote(command: str, home: Path, data: bytes | None = None) -> list[str]:
    """Run a remote command line as the remote login shell would; its output lines."""
    bin_dir = home.parent / "bin"
    bin_dir.mkdir(exist_ok=True)
    if not (bin_dir / "python3").exists():
        (bin_dir / "python3").symlink_to(sys.executable)
    env = {"HOME": str(home), "PATH": f"{bin_dir}:/usr/bin:/bin", "SSH_CONNECTION": "1 2 3 4"}
    done = subprocess.run(["/bin/sh", "-c", command], input=data or b"", env=env,
                          capture_output=True, timeout=60, check=False)  # fmt: skip
    return (done.stdout + done.stderr).decode().splitlines()


def test_the_whole_exchange_uploads_once_then_finds_the_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    plan = install()
    first = plan.reader("host", None)
    for line in _remote(remote_command(None, ARGS, plan.launch()), home):
        first.feed(line)
    assert first.wants_upload
    second = plan.reader("host", None, uploaded=True)
    for line in _remote(remote_command(None, ARGS, plan.launch(receive=True)), home, FAKE):
        second.feed(line)
    assert second.result().port == 60001 and second.result().ssh_ip == "3"
    third = plan.reader("host", None)
    for line in _remote(remote_command(None, ARGS, plan.launch()), home):
        third.feed(line)
    assert third.done and not third.wants_upload


def test_the_running_file_is_the_zipapp_only(tmp_path: Path) -> None:
    archive = tmp_path / "moshz"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("__main__.py", "")
    assert running_file(str(archive)) == str(archive)
    plain = tmp_path / "moshz.py"
    plain.write_text("print()\n")
    assert running_file(str(plain)) is None
    assert running_file(str(tmp_path / "missing")) is None
    assert self_file(str(plain)) is None


def test_self_file_hashes_the_whole_file(tmp_path: Path) -> None:
    archive = tmp_path / "moshz"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("big", bytes(3 << 20))
    data = archive.read_bytes()
    assert file_sha256(str(archive)) == hashlib.sha256(data).hexdigest()
    assert self_file(str(archive)) == SelfFile(str(archive), hashlib.sha256(data).hexdigest(), len(data))
