"""utmp records for the session, best effort (PROTOCOL.md 12.1).

mosh labels the pty in utmp as ``mosh [PID]`` while detached and
``<ip> via mosh [PID]`` while a client is attached, through libutempter's
setgid helper. Without that library every call does nothing.
"""

from __future__ import annotations

import ctypes
import os

_LIBRARY = "libutempter.so.0"


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
