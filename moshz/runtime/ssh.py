"""Processes of the bootstrap: ssh (or a local server) read line by line, and name lookups.

The key comes back in the child's output and is never put in any argv.
ssh keeps /dev/tty for password prompts; its stdout and stderr are merged
and read here, so ssh's own error messages reach the user.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
from typing import Iterator, Mapping, Sequence

STOP_WAIT = 3.0  # seconds to let ssh exit by itself after MOSH CONNECT


class LineProcess:
    """A child whose merged stdout and stderr are read as text lines."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        stdin_path: str | None = None,
    ) -> None:
        """Start argv; with ``stdin_path`` its stdin is that file (what self-install sends)."""
        self.argv = list(argv)
        with open(stdin_path, "rb") if stdin_path else contextlib.nullcontext() as stdin:
            self._proc = subprocess.Popen(
                self.argv,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=None if env is None else dict(env),
                cwd=cwd,
            )

    def lines(self) -> Iterator[str]:
        """Each output line without its newline (a trailing CR stays), until EOF."""
        assert self._proc.stdout is not None
        for raw in iter(self._proc.stdout.readline, b""):
            yield raw.decode("utf-8", "replace").rstrip("\n")

    def close(self, stop: bool) -> int | None:
        """Stop reading and reap the child; its exit status, or None if left running.

        With ``stop`` a child still running after a grace period is terminated
        (ssh); without, it is left alone (a local server that did not detach).
        """
        assert self._proc.stdout is not None
        self._proc.stdout.close()
        try:
            return self._proc.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            if not stop:
                return None
        self._proc.terminate()
        return self._proc.wait()


def command_output(argv: Sequence[str]) -> str | None:
    """Stdout of a short command such as ``ssh -G host``; None if it cannot run or fails."""
    try:
        done = subprocess.run(
            list(argv),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def resolve(host: str) -> list[tuple[int, str]]:
    """The host's addresses as ``(ip version, numeric address)``, in resolver order."""
    try:
        infos = socket.getaddrinfo(host, None, 0, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError):
        return []
    out: list[tuple[int, str]] = []
    for family, _, _, _, sockaddr in infos:
        version = 6 if family == socket.AF_INET6 else 4
        pair = (version, str(sockaddr[0]))
        if pair not in out:
            out.append(pair)
    return out
