"""The remote launch script, run for real by /bin/sh in a temporary home with a made-up PATH."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from moshz.client.remote_launch import (
    INSTALL_MARKER,
    NO_CACHE_MARKER,
    NO_PYTHON_MARKER,
    NO_SERVER_MARKER,
    REMOTE_PREFIX,
    UPLOAD_FAILED_MARKER,
    Launch,
    launch_script,
)

TOOLS = ("sh", "cat", "chmod", "head", "id", "ls", "mkdir", "mv", "rm", "sed", "sort", "wc")
FAKE_MOSHZ = b'#!/usr/bin/env python3\nimport sys\nprint("RAN", *sys.argv[1:])\n'
SHA = hashlib.sha256(FAKE_MOSHZ).hexdigest()
SHELLS = [path for path in ("/bin/sh", shutil.which("bash"), shutil.which("busybox")) if path]
OLD_PYTHON = '#!/bin/sh\n[ "$1" = -V ] && echo "Python 3.6.9"\nexit 1\n'


class Remote:
    """A pretend remote account: a home, a temp dir and a PATH holding only chosen programs."""

    def __init__(
        self, root: Path, tools: tuple[str, ...] = (*TOOLS, "sha256sum"), shell: str = "/bin/sh"
    ) -> None:
        self.shell = [shell, "sh"] if shell.endswith("busybox") else [shell]
        self.home = root / "home"
        self.bin = root / "bin"
        self.tmp = root / "tmp"
        for path in (self.home, self.bin, self.tmp):
            path.mkdir()
        for name in tools:
            self.link(name, shutil.which(name) or pytest.fail(f"{name} missing"))

    def link(self, name: str, target: str) -> None:
        """Put target on the PATH as name."""
        (self.bin / name).symlink_to(target)

    def python(self, *names: str) -> None:
        """The Python running these tests, on the PATH under each name."""
        for name in names:
            self.link(name, sys.executable)

    def program(self, name: str, text: str) -> None:
        """A shell script on the PATH."""
        path = self.bin / name
        path.write_text(text)
        path.chmod(0o755)

    def unusable_home(self) -> None:
        """A home no one can make directories in (a file, so that even root cannot)."""
        self.home.rmdir()
        self.home.write_text("a file where the home directory should be")

    @property
    def cache(self) -> Path:
        return self.home / ".cache" / "moshz"

    def run(self, launch: Launch, *args: str, data: bytes | None = None) -> str:
        """Run the script as ssh would (server arguments after it); its stdout and stderr."""
        env = {"HOME": str(self.home), "PATH": str(self.bin), "TMPDIR": str(self.tmp)}
        done = subprocess.run(
            [*self.shell, "-c", launch_script(launch), "moshz", *(args or ("new",))],
            input=b"" if data is None else data,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        return (done.stdout + done.stderr).decode()


def place(path: Path, data: bytes = FAKE_MOSHZ, mode: int = 0o700) -> Path:
    """Write a file (directories made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)
    return path


@pytest.fixture(params=SHELLS)
def remote(tmp_path: Path, request: pytest.FixtureRequest) -> Remote:
    return Remote(tmp_path, shell=request.param)


def test_a_host_with_only_python3_11_runs_the_cached_file_with_it(remote: Remote) -> None:
    remote.python("python3.11")
    place(remote.cache / f"moshz-{SHA}")
    assert remote.run(Launch(SHA), "new", "-l", "X=it's $HOME") == "RAN --server new -l X=it's $HOME\n"


def test_the_newest_python3_x_wins_and_too_old_ones_are_skipped(remote: Remote) -> None:
    remote.program("python3", OLD_PYTHON)
    remote.program("python3.12", OLD_PYTHON)  # claims to be new, fails the version check
    remote.python("python3.9", "python3.10")
    remote.program("python3.11-config", "#!/bin/sh\nexit 1\n")
    place(remote.cache / f"moshz-{SHA}")
    out = remote.run(Launch(SHA, verbose=True))
    assert f"{REMOTE_PREFIX}starting {remote.cache}/moshz-{SHA} with python3.10\n" in out
    assert f"{REMOTE_PREFIX}RAN -v --version\n" in out
    assert out.endswith("RAN --server new\n")


def test_without_any_python_it_says_so(remote: Remote) -> None:
    assert remote.run(Launch(SHA)) == NO_PYTHON_MARKER + "\n"
    assert os.listdir(remote.home) == []


def test_a_too_old_python3_is_named(remote: Remote) -> None:
    remote.program("python3", OLD_PYTHON)
    assert remote.run(Launch(SHA)) == f"{NO_PYTHON_MARKER} Python 3.6.9\n"


def test_a_missing_file_is_asked_for_and_the_cache_made_private(remote: Remote) -> None:
    remote.python("python3")
    assert remote.run(Launch(SHA)) == f"{INSTALL_MARKER} {remote.cache}\n"
    assert stat.S_IMODE(remote.cache.stat().st_mode) == 0o700
    assert os.listdir(remote.cache) == []


def test_a_cached_file_with_the_wrong_hash_is_not_run(remote: Remote) -> None:
    remote.python("python3")
    place(remote.cache / f"moshz-{SHA}", FAKE_MOSHZ + b"print('tampered')\n")
    out = remote.run(Launch(SHA, verbose=True))
    assert "RAN" not in out and "wrong sha256" in out
    assert out.endswith(f"{INSTALL_MARKER} {remote.cache}\n")


def test_receive_stores_checks_and_runs_the_file(remote: Remote) -> None:
    remote.python("python3")
    out = remote.run(Launch(SHA, receive=True), data=FAKE_MOSHZ)
    assert out == "RAN --server new\n"
    stored = remote.cache / f"moshz-{SHA}"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o700
    assert os.listdir(remote.cache) == [stored.name]


def test_receive_replaces_a_tampered_file(remote: Remote) -> None:
    remote.python("python3")
    stored = place(remote.cache / f"moshz-{SHA}", b"#!/bin/sh\necho EVIL\n")
    assert remote.run(Launch(SHA, receive=True), data=FAKE_MOSHZ) == "RAN --server new\n"
    assert stored.read_bytes() == FAKE_MOSHZ


def test_a_damaged_upload_is_dropped_and_not_run(remote: Remote) -> None:
    remote.python("python3")
    damaged = FAKE_MOSHZ[:-5]
    out = remote.run(Launch(SHA, receive=True), data=damaged)
    assert out == f"{UPLOAD_FAILED_MARKER} {hashlib.sha256(damaged).hexdigest()}\n"
    assert os.listdir(remote.cache) == []


def test_python_hashlib_checks_the_hash_without_sha256sum(tmp_path: Path) -> None:
    remote = Remote(tmp_path, TOOLS)
    remote.python("python3")
    assert remote.run(Launch(SHA, receive=True), data=FAKE_MOSHZ) == "RAN --server new\n"


def test_an_unwritable_home_falls_back_to_a_private_temp_dir(remote: Remote) -> None:
    remote.python("python3")
    remote.unusable_home()
    assert remote.run(Launch(SHA, receive=True), data=FAKE_MOSHZ) == "RAN --server new\n"
    private = remote.tmp / f"moshz-{os.getuid()}"
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert (private / "cache" / f"moshz-{SHA}").read_bytes() == FAKE_MOSHZ


def test_a_shared_temp_dir_is_not_trusted(remote: Remote) -> None:
    remote.python("python3")
    remote.unusable_home()
    (remote.tmp / f"moshz-{os.getuid()}").mkdir(mode=0o755)
    assert remote.run(Launch(SHA)) == NO_CACHE_MARKER + "\n"


def test_an_installed_moshz_comes_first_and_a_zipapp_gets_our_python(remote: Remote) -> None:
    remote.python("python3.11")
    place(remote.home / "bin" / "moshz", FAKE_MOSHZ.replace(b"RAN", b"HOME-BIN"), 0o755)
    place(remote.cache / f"moshz-{SHA}")
    assert remote.run(Launch(SHA)) == "HOME-BIN --server new\n"


def test_an_installed_moshz_of_another_kind_is_run_directly(remote: Remote) -> None:
    remote.program("moshz", '#!/bin/sh\necho "OWN $*"\n')
    assert remote.run(Launch(None), "new", "-c", "8") == "OWN --server new -c 8\n"


def test_without_self_install_nothing_found_is_reported(remote: Remote) -> None:
    remote.python("python3")
    assert remote.run(Launch(None)) == NO_SERVER_MARKER + "\n"
    assert os.listdir(remote.home) == []


def test_nix_shell_supplies_python_and_keeps_every_argument(remote: Remote) -> None:
    inner = remote.home.parent / "nixpython"
    inner.mkdir()
    (inner / "python3").symlink_to(sys.executable)
    remote.program(
        "nix-shell",
        f'#!/bin/sh\n[ "$1 $2 $3" = "-p python3 --run" ] || exit 9\n'
        f'PATH={inner}:$PATH exec sh -c "$4"\n',
    )
    place(remote.cache / f"moshz-{SHA}")
    out = remote.run(Launch(SHA), "new", "--", "echo", "it's", "a $b", "")
    assert out.splitlines()[-1] == "RAN --server new -- echo it's a $b "
    assert "nixpkgs" in out.splitlines()[0]


def test_nix_run_supplies_python_when_nix_shell_is_missing(remote: Remote) -> None:
    remote.program(
        "nix",
        f'#!/bin/sh\n[ "$3 $4 $5" = "run nixpkgs#python3 --" ] || exit 9\n'
        f'shift 5\nexec {sys.executable} "$@"\n',
    )
    place(remote.cache / f"moshz-{SHA}")
    assert remote.run(Launch(SHA)).splitlines()[-1] == "RAN --server new"


def test_a_bad_hash_is_refused() -> None:
    with pytest.raises(ValueError):
        launch_script(Launch("'; rm -rf ~; '"))
