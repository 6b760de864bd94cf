"""dist/moshz, the one-file build: it runs on Debian's own Python, as nobody, without cryptography."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

import pytest

import moshz

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "dist" / "moshz"
SYSTEM_PYTHON = "/usr/bin/python3"
VERSION_LINE = f"moshz {moshz.__version__} (wire-compatible with mosh 1.4.0, protocol 2)"

# Runs the zipapp named in argv[1] with "cryptography" made unimportable.
_BLOCKED_RUN = textwrap.dedent(
    """
    import runpy, sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == "cryptography":
                raise ImportError("blocked for a test: " + name)

    sys.meta_path.insert(0, Block())
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
    """
)


def _sources_mtime() -> float:
    paths = [REPO / "build.py", *(REPO / "moshz").rglob("*.py")]
    return max(p.stat().st_mtime for p in paths)


@pytest.fixture(scope="module")
def built() -> Path:
    """dist/moshz, (re)built first if it is missing or older than its sources."""
    pytest.importorskip("shiv")
    if not DIST.exists() or DIST.stat().st_mtime < _sources_mtime():
        subprocess.run([sys.executable, str(REPO / "build.py")], cwd=REPO, check=True, timeout=600)
    return DIST


@pytest.fixture
def shared_dir():
    """A fresh directory that every user may read and write, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="moshz-test-"))
    path.chmod(0o1777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def system_python():
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip(f"no {SYSTEM_PYTHON}")
    return SYSTEM_PYTHON


def _run(argv, env_extra, user=None):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **env_extra}
    if user is not None:
        switch = [shutil.which("runuser"), "-u", user, "--", "/usr/bin/env"]
        argv = [*switch, *(f"{k}={v}" for k, v in env.items()), *argv]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def _check_outputs(prefix, env, user=None, python=SYSTEM_PYTHON):
    assert _run([*prefix, "--version"], env, user) == VERSION_LINE + "\n"
    verbose = _run([*prefix, "-v", "--version"], env, user).splitlines()
    assert verbose[0] == VERSION_LINE
    assert verbose[2] == f"python: {verbose[2].split()[1]} ({python})"
    assert _run([*prefix, "--help"], env, user).startswith("usage: moshz")
    return verbose[1]


def test_runs_on_system_python_with_an_unusable_home(built, system_python, shared_dir):
    not_a_dir = shared_dir / "file"
    not_a_dir.write_bytes(b"")
    env = {"HOME": str(not_a_dir / "home"), "TMPDIR": str(shared_dir)}  # unusable even for root
    crypto = _check_outputs([system_python, str(built)], env)
    assert crypto.startswith(("crypto: native (cryptography ", "crypto: pure ("))
    assert (shared_dir / f"moshz-{os.getuid()}").is_dir()  # the private unpack root was used


def test_unpacks_privately_when_unpacking_into_home_fails(built, system_python, shared_dir):
    build_id = json.loads(zipfile.ZipFile(built).read("environment.json"))["build_id"]
    shiv_dir = shared_dir / "home" / ".shiv"
    shiv_dir.mkdir(parents=True)
    (shiv_dir / f"{built.name}_{build_id}.tmp").write_bytes(b"")  # extraction fails, as if full
    env = {"HOME": str(shared_dir / "home"), "TMPDIR": str(shared_dir)}
    assert _check_outputs([system_python, str(built)], env).startswith("crypto: ")
    assert (shared_dir / f"moshz-{os.getuid()}").is_dir()


def test_runs_as_nobody(built, system_python, shared_dir):
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to switch to nobody")
    copy = shared_dir / "moshz"
    shutil.copy(built, copy)
    copy.chmod(0o755)
    env = {"HOME": "/nonexistent", "TMPDIR": str(shared_dir)}
    crypto = _check_outputs([system_python, str(copy)], env, user="nobody")
    assert crypto.startswith("crypto: ")


@pytest.mark.parametrize(
    "choice,expected",
    [
        ("pure", "crypto: pure (MOSHZ_CRYPTO=pure)"),
        ("auto", "crypto: pure (cryptography not importable: blocked for a test"),
    ],
)
def test_says_pure_when_cryptography_cannot_be_imported(built, system_python, shared_dir,
                                                        choice, expected):
    env = {"HOME": str(shared_dir), "MOSHZ_CRYPTO": choice}
    prefix = [system_python, "-c", _BLOCKED_RUN, str(built)]
    assert _check_outputs(prefix, env).startswith(expected)


def _bundled_cffi_versions(archive: Path) -> list[str]:
    """The CPython minor versions ("3.12") whose cffi backend the archive carries."""
    with zipfile.ZipFile(archive) as z:
        found = (re.search(r"_cffi_backend\.cpython-3(\d+)-", n) for n in z.namelist())
        return sorted({f"3.{m.group(1)}" for m in found if m}, key=lambda v: int(v[2:]))


def _interpreters(version: str) -> list[str]:
    """Interpreters of one CPython minor version found on this machine (PATH and pyenv)."""
    pyenv = os.path.expanduser(os.environ.get("PYENV_ROOT", "~/.pyenv"))
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"))
    working = []
    for path in filter(None, candidates):
        probe = subprocess.run([path, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=60, check=False)
        if probe.returncode == 0:
            working.append(path)
    return working[-1:]


def test_native_backend_loads_on_every_bundled_python(built, shared_dir):
    versions = _bundled_cffi_versions(built)
    if len(versions) < 2:
        pytest.skip("built --offline: native crypto only for the build's own Python")
    checked = []
    for version in versions:
        for python in _interpreters(version):
            out = _run([python, str(built), "-v", "--version"], {"SHIV_ROOT": str(shared_dir)})
            assert out.splitlines()[1].startswith("crypto: native (cryptography "), python
            checked.append(version)
    if not checked:
        pytest.skip("no bundled CPython version is installed here")


def test_archive_is_reproducible_and_names_no_build_paths(built, shared_dir):
    outputs = []
    for name in ("a", "b"):
        out = shared_dir / name / "moshz"
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        subprocess.run([sys.executable, str(REPO / "build.py"), "--offline", "-o", str(out)],
                       env=env, check=True, timeout=600, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    needles = {str(REPO).encode(), sys.prefix.encode(), str(shared_dir).encode()}
    with zipfile.ZipFile(built) as archive:
        names = archive.namelist()
        for name in names:
            data = archive.read(name)
            assert not [n for n in needles if n in data], name
    assert "_moshz_boot.py" in names and "site-packages/moshz/cli.py" in names
    assert any(n.startswith("site-packages/cryptography/") for n in names)
    assert any(n.startswith("site-packages/pyte/") for n in names)
    assert DIST.read_bytes().startswith(b"#!/usr/bin/env python3\n")
