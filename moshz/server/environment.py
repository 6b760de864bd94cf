"""The shell's environment and command line, computed from values (no OS calls here).

Pieces: undo Python's own C-locale coercion (PEP 538 adds ``LC_CTYPE`` to the
process environment before any of our code runs), apply the client's locale,
set the terminal variables mosh sets, drop what must not leak (``MOSH_KEY``,
``STY``), and pick the command (the login shell unless one was given).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Mapping, Sequence

from moshz.server.locales import apply_client_locale

COERCED_CTYPES = ("C.UTF-8", "C.utf8", "UTF-8")
DEFAULT_SHELL = "/bin/sh"
_DROPPED = ("MOSH_KEY", "STY")


@dataclass(frozen=True)
class ShellCommand:
    """What to exec in the pty: ``path`` (searched in PATH), its argv, and whether it is the login shell."""

    path: str
    argv: tuple[str, ...]
    login: bool


def undo_locale_coercion(
    environ: Mapping[str, str], initial: Mapping[str, str] | None
) -> dict[str, str]:
    """``environ`` with the interpreter's PEP 538 ``LC_CTYPE`` removed again.

    ``initial`` is the environment the process was started with, when known
    (Linux: /proc/self/environ); without it, a coercion-shaped LC_CTYPE next
    to a C or unset LANG and no LC_ALL is taken to be the interpreter's.
    """
    result = dict(environ)
    if initial is not None:
        _restore(result, initial, "LC_CTYPE")
    elif _looks_coerced(environ):
        del result["LC_CTYPE"]
    return result


def _restore(environ: dict[str, str], initial: Mapping[str, str], name: str) -> None:
    if name in initial:
        environ[name] = initial[name]
    else:
        environ.pop(name, None)


def _looks_coerced(environ: Mapping[str, str]) -> bool:
    return (
        environ.get("LC_CTYPE") in COERCED_CTYPES
        and not environ.get("LC_ALL")
        and environ.get("LANG", "C") in ("", "C", "POSIX")
    )


def shell_environment(
    environ: Mapping[str, str],
    initial: Mapping[str, str] | None,
    locale_settings: Sequence[tuple[str, str]],
    colors: int,
    home: str,
) -> dict[str, str]:
    """The environment the shell starts with (before the locale and runtime-dir checks)."""
    result = apply_client_locale(undo_locale_coercion(environ, initial), locale_settings)
    for name in _DROPPED:
        result.pop(name, None)
    result["TERM"] = "xterm-256color" if colors == 256 else "xterm"
    result["NCURSES_NO_UTF8_ACS"] = "1"
    result["HOME"] = home
    result["PWD"] = home
    return result


def shell_command(
    command: Sequence[str], environ: Mapping[str, str], passwd_shell: str
) -> ShellCommand:
    """The explicit command, else the login shell ($SHELL, passwd, /bin/sh) as ``-name``."""
    if command:
        return ShellCommand(command[0], tuple(command), False)
    shell = environ.get("SHELL")
    if shell is None:
        shell = passwd_shell
    shell = shell or DEFAULT_SHELL
    return ShellCommand(shell, ("-" + posixpath.basename(shell),), True)
