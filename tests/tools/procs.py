"""Find and end the processes an e2e session left behind, by pid (Linux /proc)."""

from __future__ import annotations

import os
import signal
import time
from typing import Iterable, Iterator

from tests.tools.wait import wait_until

GRACE_SECONDS = 2.0


def _all_pids() -> Iterator[int]:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            yield int(entry)


def _stat(pid: int) -> tuple[int, int]:
    """(parent pid, owner uid) of a process; raises OSError if it is gone."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        after_name = f.read().rsplit(b")", 1)[1].split()
    return int(after_name[1]), os.stat(f"/proc/{pid}").st_uid


def _environ(pid: int) -> bytes:
    with open(f"/proc/{pid}/environ", "rb") as f:
        return f.read()


def descendants(root: int) -> set[int]:
    """Every live process below `root` in the process tree."""
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        try:
            children.setdefault(_stat(pid)[0], []).append(pid)
        except OSError:
            continue
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def tagged(uid: int, marker: str) -> set[int]:
    """Processes of user `uid` whose environment holds the exact entry `marker` (NAME=value)."""
    wanted = marker.encode()
    found: set[int] = set()
    for pid in _all_pids():
        try:
            if _stat(pid)[1] == uid and wanted in _environ(pid).split(b"\0"):
                found.add(pid)
        except OSError:
            continue
    return found


def process_gone(pid: int) -> bool:
    """True once `pid` no longer exists (or is a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return True


def wait_gone(pid: int, timeout: float = 20.0) -> None:
    """Wait until process `pid` has exited."""
    wait_until(lambda: process_gone(pid), timeout, f"process {pid} to exit", lambda: "")


def _signal_all(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except OSError:
            pass


def terminate(pids: Iterable[int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM the given processes, then SIGKILL those still alive after `grace` seconds."""
    pending = set(pids)
    _signal_all(pending, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pending and time.monotonic() < deadline:
        time.sleep(0.05)
        pending = {pid for pid in pending if not process_gone(pid)}
    _signal_all(pending, signal.SIGKILL)
