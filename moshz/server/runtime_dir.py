"""XDG_RUNTIME_DIR for the shell: one that exists now and still exists after ssh logs out.

logind removes ``/run/user/UID`` when the user's last login session ends
unless lingering is enabled, and mosh's ssh session ends right after start-up.
The shell keeps the inherited directory only when it is sound and will
survive; otherwise the server makes a private one (the runtime layer creates
it, this module decides and checks). Facts about the host come in as values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

LOGIND_RUNTIME_ROOT = "/run/user/"
PRIVATE_PREFIX = "moshz-runtime-"


@dataclass(frozen=True)
class DirStatus:
    """What lstat says about a path (None stands for 'does not exist')."""

    is_dir: bool
    is_symlink: bool
    owner: int
    mode: int  # permission bits only


@dataclass(frozen=True)
class RuntimeDirDecision:
    """Keep the inherited directory, or make a private one; ``reason`` is for -v output."""

    keep: bool
    reason: str


def is_private_dir(status: DirStatus | None, uid: int) -> bool:
    """True for a real directory owned by ``uid`` with mode 0700 (what the spec demands)."""
    return (
        status is not None
        and status.is_dir
        and not status.is_symlink
        and status.owner == uid
        and status.mode == 0o700
    )


def decide_runtime_dir(
    current: str | None, status: DirStatus | None, uid: int, lingering: bool
) -> RuntimeDirDecision:
    """Whether the inherited XDG_RUNTIME_DIR (``current``, checked as ``status``) can stay."""
    if not current:
        return RuntimeDirDecision(False, "XDG_RUNTIME_DIR is not set")
    if status is None:
        return RuntimeDirDecision(False, f"XDG_RUNTIME_DIR {current} does not exist")
    if not is_private_dir(status, uid):
        return RuntimeDirDecision(
            False, f"XDG_RUNTIME_DIR {current} is not a private directory owned by us"
        )
    if current.startswith(LOGIND_RUNTIME_ROOT) and not lingering:
        return RuntimeDirDecision(
            False, f"XDG_RUNTIME_DIR {current} will be removed at logout (lingering is off)"
        )
    return RuntimeDirDecision(True, f"keeping XDG_RUNTIME_DIR {current}")


def private_dir_base(environ: Mapping[str, str]) -> str:
    """Where the private runtime directory is made: $TMPDIR if set, else /tmp."""
    return environ.get("TMPDIR") or "/tmp"


def linger_flag_path(user: str) -> str:
    """The file whose existence means logind keeps ``user``'s runtime dir after logout."""
    return "/var/lib/systemd/linger/" + user
