"""The non-root account e2e sessions log into, created idempotently, with predictable dotfiles."""

from __future__ import annotations

import os
import pwd
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

TEST_USER = "moshzt"
PROMPT = "e2e$ "
CREATE_ATTEMPTS = 5

# Login and interactive shells both end up here: a fixed prompt, no history file, UTF-8.
BASHRC = f"""\
# Written by moshz's e2e tools (tests/tools/account.py); rewritten by every test session.
export LANG=C.UTF-8
PS1='{PROMPT}'
PROMPT_COMMAND=
unset HISTFILE
"""
PROFILE = """\
# Written by moshz's e2e tools (tests/tools/account.py).
. "$HOME/.bashrc"
"""


class Account(NamedTuple):
    """Who the test user is: name, ids and home directory."""

    name: str
    uid: int
    gid: int
    home: Path


def _lookup(name: str) -> Account:
    entry = pwd.getpwnam(name)
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def _create(name: str) -> None:
    # "*" instead of useradd's locked "!": key logins need an unlocked account without PAM.
    subprocess.run(
        ["useradd", "--create-home", "--shell", "/bin/bash", "--password", "*", name],
        capture_output=True,
        timeout=60,
        check=False,
    )


def ensure_account(name: str = TEST_USER) -> Account:
    """Create the user if missing (tolerating a concurrent creator) and return its details."""
    for _ in range(CREATE_ATTEMPTS):
        try:
            account = _lookup(name)
            break
        except KeyError:
            _create(name)
            time.sleep(0.2)
    else:
        account = _lookup(name)
    prepare_home(account)
    return account


def prepare_home(account: Account) -> None:
    """Make the home directory usable by sshd's StrictModes and write the shell dotfiles."""
    make_private_dir(account, account.home, 0o755)
    write_owned(account, account.home / ".bashrc", BASHRC.encode(), 0o644)
    write_owned(account, account.home / ".profile", PROFILE.encode(), 0o644)
    write_owned(account, account.home / ".hushlogin", b"", 0o644)
    make_private_dir(account, account.home / ".ssh", 0o700)


def make_private_dir(account: Account, path: Path, mode: int) -> None:
    """Create `path` owned by the account with exactly `mode` (never group/world writable)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, account.uid, account.gid)
    os.chmod(path, mode)


def write_owned(account: Account, path: Path, data: bytes, mode: int) -> None:
    """Write a file owned by the account, atomically (concurrent sessions write the same files)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.chown(temporary, account.uid, account.gid)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
