"""How mosh-server hands over to the background (PROTOCOL.md 2.2, 2.5).

``announce`` prints the ``MOSH CONNECT`` line the mosh wrapper waits for;
``detach`` forks: the parent prints mosh's banner and the background pid to
stderr and exits 0 (so ssh can finish), the child leaves the ssh session and,
unless verbose, points its stdio at /dev/null.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TextIO


def announce(port: int, key: str, out: TextIO, stdin_is_tty: bool) -> None:
    """Write ``MOSH CONNECT <port> <key>`` (after a blank CR LF line when stdin is a terminal)."""
    if stdin_is_tty:
        out.write("\r\n\n")
    out.write(f"MOSH CONNECT {port} {key}\n")
    out.flush()


def detach(banner: str, verbose: bool) -> None:
    """Fork into the background; only the background child returns."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid > 0:
        sys.stderr.write(f"{banner}\n[mosh-server detached, pid = {pid}]\n")
        sys.stderr.flush()
        os._exit(0)
    os.setsid()
    if not verbose:
        _stdio_to_devnull()


def _stdio_to_devnull() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    if null > 2:
        os.close(null)
