"""What the local terminal can do, from terminfo (PROTOCOL.md 10.1): ech, bce, smcup/rmcup, colours.

mosh-client reads these with setupterm/tigetstr; so do we, through the
standard curses module. Where Python was built without curses, an
xterm-like terminal is assumed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class TerminfoError(Exception):
    """No usable terminfo entry for $TERM (mosh's "Unknown terminal type.")."""


@dataclass(frozen=True)
class TermInfo:
    """The terminal facts the client's renderer and the server's TERM depend on."""

    ech: bool = True
    bce: bool = True
    smcup: bytes = b""
    rmcup: bytes = b""
    colors: int = 8


_XTERM_SMCUP = b"\x1b[?1049h\x1b[22;0;0t"
_XTERM_RMCUP = b"\x1b[?1049l\x1b[23;0;0t"


def load(term: str | None) -> TermInfo:
    """The terminfo facts for ``term`` (normally $TERM); raises TerminfoError if unknown."""
    try:
        import curses
    except ImportError:
        return _assumed(term or "")
    fd = os.open(os.devnull, os.O_WRONLY)
    try:
        curses.setupterm(term, fd)
    except curses.error as error:
        raise TerminfoError(_explain(str(error))) from None
    finally:
        os.close(fd)
    return TermInfo(
        ech=curses.tigetstr("ech") is not None,
        bce=curses.tigetflag("bce") > 0,
        smcup=curses.tigetstr("smcup") or b"",
        rmcup=curses.tigetstr("rmcup") or b"",
        colors=curses.tigetnum("colors"),
    )


def _explain(message: str) -> str:
    if "database" in message:
        return "Terminfo database could not be found."
    return "Unknown terminal type."


def _assumed(term: str) -> TermInfo:
    colors = 256 if "256color" in term else 8
    return TermInfo(smcup=_XTERM_SMCUP, rmcup=_XTERM_RMCUP, colors=colors)
