"""utmp records for the session, best effort (PROTOCOL.md 12.1).

mosh labels the pty in utmp as ``mosh [PID]`` while detached and
``<ip> via mosh [PID]`` while a client is attached, through libutempter's
setgid helper. Without that library every call does nothing.
"""

from __future__ import annotations

import ctypes
import os
import struct
from typing import Iterator

_LIBRARY = "libutempter.so.0"
UTMP_FILE = "/run/utmp"
# glibc's struct utmp on Linux (the same on 32- and 64-bit): type, pid, line, id, user, host, ...
_RECORD = struct.Struct("<h2xi32s4s32s256s2hi2i4i20x")
_USER_PROCESS = 7


class Utmp:
    """The utmp record of one pty master; silently inert when libutempter is missing."""

    def __init__(self, master_fd: int) -> None:
        self.fd = master_fd
        self.label = ""
        self._lib = _load()

    @staticmethod
    def detached_label() -> str:
        """mosh's label for a session without a client."""
        return f"mosh [{os.getpid()}]"

    @staticmethod
    def attached_label(ip: str) -> str:
        """mosh's label for a session with a client at ``ip``."""
        return f"{ip} via mosh [{os.getpid()}]"

    def set_label(self, label: str) -> None:
        """Replace the record with one labelled ``label`` (no-op if unchanged)."""
        if self._lib is None or label == self.label:
            return
        if self.label:
            self._lib.utempter_remove_record(self.fd)
        self._lib.utempter_add_record(self.fd, label.encode("utf-8", "replace"))
        self.label = label

    def remove(self) -> None:
        """Remove the record (at exit)."""
        if self._lib is not None and self.label:
            self._lib.utempter_remove_record(self.fd)
            self.label = ""


def _load() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(_LIBRARY)
        lib.utempter_add_record.argtypes = [ctypes.c_int, ctypes.c_char_p]
        lib.utempter_remove_record.argtypes = [ctypes.c_int]
    except (OSError, AttributeError):
        return None
    return lib


def detached_sessions(user: str, own_label: str, path: str = UTMP_FILE) -> list[str]:
    """Labels of ``user``'s other mosh sessions without a client whose terminal still exists."""
    found = []
    for line, host in _user_entries(user, path):
        detached = host.startswith("mosh [") and host.endswith("]")
        if detached and host != own_label and os.path.lexists("/dev/" + line):
            found.append(host)
    return found


def _user_entries(user: str, path: str) -> Iterator[tuple[str, str]]:
    """(tty line, host) of every logged-in entry of ``user``; nothing if utmp is unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return
    for offset in range(0, len(data) - _RECORD.size + 1, _RECORD.size):
        fields = _RECORD.unpack_from(data, offset)
        if fields[0] == _USER_PROCESS and _text(fields[4]) == user:
            yield _text(fields[2]), _text(fields[5])


def _text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "replace")
