"""Facts about the host that the server's pure environment logic asks for.

Each function answers one question (does this locale work, what is this
directory, who am I) or performs one small act (make or remove the private
runtime directory), and never raises for ordinary failures.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Mapping

from moshz.server.runtime_dir import PRIVATE_PREFIX, DirStatus, is_private_dir

_PROBE_TIMEOUT = 10
_PYTHON_PROBE = (
    "import locale\n"
    "try:\n"
    "    locale.setlocale(locale.LC_ALL, '')\n"
    "except locale.Error:\n"
    "    raise SystemExit(3)\n"
    "print(locale.nl_langinfo(locale.CODESET))\n"
)


@dataclass(frozen=True)
class Account:
    """The user the server runs as: name, home directory and login shell."""

    uid: int
    name: str
    home: str
    shell: str


def current_account(environ: Mapping[str, str]) -> Account:
    """Who we are, from the passwd database (falling back to the environment)."""
    uid = os.getuid()
    try:
        entry = pwd.getpwuid(uid)
    except KeyError:
        return Account(uid, environ.get("USER", str(uid)), environ.get("HOME", "/"), "")
    return Account(uid, entry.pw_name, entry.pw_dir, entry.pw_shell)


def initial_environ() -> dict[str, str] | None:
    """The environment this process was started with, before the interpreter changed it."""
    try:
        with open("/proc/self/environ", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    result = {}
    for entry in raw.split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep:
            result[os.fsdecode(name)] = os.fsdecode(value)
    return result


def locale_codeset(environ: Mapping[str, str]) -> str | None:
    """The codeset the locale of ``environ`` selects, or None if that locale is unavailable.

    Asks the ``locale`` program found on the environment's PATH (same C library as
    the user's shell, most likely); without one, asks this Python interpreter.
    """
    program = shutil.which("locale", path=environ.get("PATH", os.defpath))
    if program:
        return _run_probe([program, "charmap"], dict(environ), strict_stderr=True)
    probe_env = {k: v for k, v in environ.items() if not k.startswith("PYTHON")}
    probe_env["PYTHONCOERCECLOCALE"] = "0"
    return _run_probe([sys.executable, "-S", "-c", _PYTHON_PROBE], probe_env, False)


def _run_probe(argv: list[str], environ: dict[str, str], strict_stderr: bool) -> str | None:
    try:
        done = subprocess.run(
            argv,
            env=environ,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_PROBE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or (strict_stderr and done.stderr.strip()):
        return None
    return done.stdout.decode("ascii", "replace").strip() or None


def dir_status(path: str) -> DirStatus | None:
    """lstat of ``path`` as a DirStatus, or None if it does not exist."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return DirStatus(
        is_dir=stat.S_ISDIR(info.st_mode),
        is_symlink=stat.S_ISLNK(info.st_mode),
        owner=info.st_uid,
        mode=stat.S_IMODE(info.st_mode),
    )


def make_private_dir(base: str, uid: int) -> str | None:
    """Create ``base/moshz-runtime-UID-XXXX`` (mode 0700, checked); None if that fails."""
    try:
        path = tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{uid}-", dir=base)
    except OSError:
        return None
    if is_private_dir(dir_status(path), uid):
        return path
    return None


def remove_private_dir(path: str, uid: int) -> None:
    """Delete a directory made by ``make_private_dir`` if it is still ours."""
    if is_private_dir(dir_status(path), uid):
        shutil.rmtree(path, ignore_errors=True)
