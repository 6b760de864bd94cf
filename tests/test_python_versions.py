"""The one-file build on every CPython found here: 3.8 and newer run it, older ones are told why not.

Interpreters come from pyenv (/root/.pyenv/versions/*), the system and the PATH; what is
absent is skipped. Each runs `moshz -v --version`, which must name its crypto backend. A
short `--local` session in tmux runs on the oldest and on the newest of them, with that
Python first on the PATH so that the server it starts uses the same one. Python 2 and 3
before 3.8 must get one line saying which Python moshz needs, not a traceback.
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from tests.tools.tmux import Tmux, base_environment

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = (
    "/root/.pyenv/versions/*/bin/python[23]",
    "/usr/bin/python3",
    "/usr/bin/python3.[0-9]*",
    "/usr/local/bin/python3.[0-9]*",
)
PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3])"
OLDEST = (3, 8)
PROMPT = "pv$ "


class Python(NamedTuple):
    """One interpreter: its path and version."""

    path: str
    version: tuple[int, int, int]

    @property
    def label(self) -> str:
        """A test id: the version and where it lives."""
        return ".".join(map(str, self.version)) + ":" + self.path


def _version(path: str) -> tuple[int, int, int] | None:
    try:
        done = subprocess.run([path, "-c", PROBE], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    if done.returncode != 0:
        return None
    major, minor, micro = done.stdout.strip().split(".")
    return int(major), int(minor), int(micro)


@functools.lru_cache(maxsize=None)
def pythons() -> tuple[Python, ...]:
    """Every CPython on this machine, one per real file, oldest first."""
    found: dict[str, Python] = {}
    candidates = [path for pattern in PATTERNS for path in sorted(glob.glob(pattern))]
    for path in candidates:
        real = os.path.realpath(path)
        if real in found or path.endswith("-config"):
            continue
        version = _version(path)
        if version is not None:
            found[real] = Python(path, version)
    return tuple(sorted(found.values(), key=lambda python: python.version))


def supported() -> list[Python]:
    """The interpreters moshz must run on."""
    return [python for python in pythons() if python.version[:2] >= OLDEST]


def unsupported() -> list[Python]:
    """The interpreters moshz must turn away with a clear message."""
    return [python for python in pythons() if python.version[:2] < OLDEST]


def extremes() -> list[Python]:
    """The oldest and the newest supported interpreter (one if they are the same)."""
    found = supported()
    return list({python.path: python for python in found[:1] + found[-1:]}.values())


@pytest.fixture(scope="module")
def moshz_build(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The one-file moshz: $MOSHZ_FILE, or a fresh build of this tree."""
    given = os.environ.get("MOSHZ_FILE")
    if given:
        return given
    pytest.importorskip("shiv")
    directory = tmp_path_factory.mktemp("build")
    os.chmod(directory, 0o755)
    output = directory / "moshz"
    command = [sys.executable, str(ROOT / "build.py"), "-o", str(output)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return str(output)


@pytest.fixture(scope="module")
def shiv_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where the build unpacks for these tests (not the user's ~/.shiv)."""
    return str(tmp_path_factory.mktemp("shiv"))


def _ids(found: list[Python]) -> list[str]:
    return [python.label for python in found]


def run_with(python: Python, moshz: str, shiv_root: str, *args: str) -> subprocess.CompletedProcess:
    """`python moshz args` with a private unpack directory."""
    env = {**base_environment(), "SHIV_ROOT": shiv_root}
    return subprocess.run(
        [python.path, moshz, *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("python", supported(), ids=_ids(supported()))
def test_version_names_the_crypto_backend(python: Python, moshz_build: str, shiv_root: str) -> None:
    done = run_with(python, moshz_build, shiv_root, "-v", "--version")
    assert (done.returncode, done.stderr) == (0, ""), done
    lines = done.stdout.splitlines()
    assert lines[0].startswith("moshz "), done.stdout
    assert lines[1].startswith(("crypto: native (cryptography ", "crypto: pure (")), done.stdout
    version = ".".join(map(str, python.version))
    assert lines[2] == f"python: {version} ({python.path})", done.stdout


@pytest.mark.parametrize("python", unsupported(), ids=_ids(unsupported()))
def test_older_pythons_are_told_which_is_needed(
    python: Python, moshz_build: str, shiv_root: str
) -> None:
    done = run_with(python, moshz_build, shiv_root, "--version")
    version = ".".join(map(str, python.version))
    expected = f"moshz: needs Python 3.8 or newer; {python.path} is Python {version}\n"
    assert (done.returncode, done.stdout, done.stderr) == (1, "", expected)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server, killed afterwards."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux not installed")
    server = Tmux()
    try:
        yield server
    finally:
        server.kill()


@pytest.mark.e2e
@pytest.mark.parametrize("python", extremes(), ids=_ids(extremes()))
def test_local_session(
    python: Python, moshz_build: str, shiv_root: str, tmux: Tmux, tmp_path: Path
) -> None:
    # `python3` on the PATH is this one: the file's shebang runs the server with it too.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(python.path)
    env = {
        "PATH": f"{bin_dir}:{base_environment()['PATH']}",
        "SHIV_ROOT": shiv_root,
        "PS1": PROMPT,
    }
    python3 = str(bin_dir / "python3")
    argv = [python3, moshz_build, "-v", "--local", "--", "bash", "--norc", "--noprofile"]
    pane = tmux.new_pane(argv, 120, 24, env=env)
    pane.wait_for_text(PROMPT.rstrip(), timeout=60)
    version = ".".join(map(str, python.version))
    pane.line('echo "ok from $(python3 -c "import sys; print(sys.version.split()[0])")"')
    pane.wait_for_row(f"ok from {version}")
    pane.line("exit")
    assert pane.wait_exit(timeout=30) == 0, pane.dump()
    assert f"moshz local: python: {version} ({python3})" in pane.rows(), pane.dump()
