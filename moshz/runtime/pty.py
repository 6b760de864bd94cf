"""The application's pseudo-terminal: spawn held, release, read, write, resize, reap.

As in mosh (PROTOCOL.md 2.5), the child sets up its terminal and then waits
for one line on the pty before it execs the command; the server sends that
newline when the first client state arrives, so the pty's echo of it puts the
shell's first prompt on the second row, exactly where mosh puts it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import struct
import sys
import termios
from dataclasses import dataclass
from typing import Mapping

READ_SIZE = 16384
_RELEASE_LINE_MAX = 81
_RESET_SIGNALS = ("SIGHUP", "SIGPIPE", "SIGXFSZ")
# Python's termios lacks IUTF8 on some versions; 0o40000 is its Linux value.
_IUTF8 = getattr(termios, "IUTF8", 0o40000 if sys.platform.startswith("linux") else 0)


@dataclass(frozen=True)
class ChildSpec:
    """What to run in the pty and how: program, argv, environment, directory, size."""

    path: str
    argv: tuple[str, ...]
    environ: Mapping[str, str]
    cwd: str
    width: int
    height: int
    preamble: bytes = b""  # written to the terminal before waiting (message of the day)


class PtyProcess:
    """The master side of a pty whose child runs the user's command."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.exit_status: int | None = None

    @classmethod
    def spawn(cls, spec: ChildSpec) -> PtyProcess:
        """Fork a child on a new pty; it waits for ``release`` before exec."""
        pid, fd = os.forkpty()
        if pid == 0:
            _child(spec)
        set_window_size(fd, spec.width, spec.height)
        os.set_blocking(fd, False)
        return cls(pid, fd)

    def release(self) -> None:
        """Let the held child exec its command (one newline, as mosh writes)."""
        self.write(b"\n")

    def read(self) -> bytes | None:
        """Output from the application: bytes, None if none now, b"" once it is gone."""
        try:
            return os.read(self.fd, READ_SIZE)
        except BlockingIOError:
            return None
        except OSError as error:
            if error.errno == errno.EINTR:
                return None
            return b""

    def write(self, data: bytes) -> int:
        """Write what the pty takes now; returns the count (raises OSError when it is gone)."""
        try:
            return os.write(self.fd, data)
        except (BlockingIOError, InterruptedError):
            return 0

    def resize(self, width: int, height: int) -> None:
        """Set the window size (the kernel sends SIGWINCH to the application)."""
        set_window_size(self.fd, width, height)

    def reap(self) -> int | None:
        """The child's wait status once it has exited (never blocks)."""
        if self.exit_status is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self.pid, 0
            if pid == self.pid:
                self.exit_status = status
        return self.exit_status

    def close(self) -> None:
        """Close the master (the application gets SIGHUP) and reap if it is done."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.reap()


def set_window_size(fd: int, width: int, height: int) -> None:
    """TIOCSWINSZ on ``fd``, keeping the pixel fields."""
    current = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    _, _, xpixel, ypixel = struct.unpack("HHHH", current)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, xpixel, ypixel))


def get_window_size(fd: int) -> tuple[int, int] | None:
    """(columns, rows) of the terminal on ``fd``, or None if it is not a sized terminal."""
    try:
        packed = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return None
    rows, columns, _, _ = struct.unpack("HHHH", packed)
    if rows == 0 or columns == 0:
        return None
    return columns, rows


def _child(spec: ChildSpec) -> None:
    """In the forked child: prepare the terminal, wait for the release line, exec."""
    try:
        for name in _RESET_SIGNALS:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        attributes = termios.tcgetattr(0)
        attributes[0] |= _IUTF8
        termios.tcsetattr(0, termios.TCSANOW, attributes)
        _enter(spec.cwd)
        if spec.preamble:
            os.write(1, spec.preamble)
        _wait_for_release()
        os.execvpe(spec.path, list(spec.argv), dict(spec.environ))
    except BaseException as error:  # noqa: BLE001 - the child must never return into the server
        _report(spec.path, error)
    os._exit(1)


def _enter(directory: str) -> None:
    try:
        os.chdir(directory)
    except OSError:
        os.chdir("/")


def _wait_for_release() -> None:
    line = b""
    while b"\n" not in line and len(line) < _RELEASE_LINE_MAX:
        chunk = os.read(0, _RELEASE_LINE_MAX)
        if not chunk:
            raise EOFError("pty closed before the release line")
        line += chunk


def _report(path: str, error: BaseException) -> None:
    message = f"moshz: cannot run {path}: {error}\n"
    with contextlib.suppress(OSError):
        os.write(2, message.encode(sys.getfilesystemencoding(), "replace"))
