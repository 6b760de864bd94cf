"""The user's terminal: raw mode with an exact restore, the window size, the native charset.

mosh-client puts its terminal in raw mode (cfmakeraw plus IUTF8, PROTOCOL.md
10.3), restores the saved attributes byte for byte on exit and on suspend,
and refuses to run unless the local locale's character set is UTF-8 (2.4).
"""

from __future__ import annotations

import locale
import os
import signal
import subprocess
import sys
import termios
from dataclasses import dataclass
from typing import Mapping

_IUTF8 = getattr(termios, "IUTF8", 0o40000)
_CLEAR_IFLAG = (
    termios.IGNBRK
    | termios.BRKINT
    | termios.PARMRK
    | termios.ISTRIP
    | termios.INLCR
    | termios.IGNCR
    | termios.ICRNL
    | termios.IXON
)
_CLEAR_LFLAG = termios.ECHO | termios.ECHONL | termios.ICANON | termios.ISIG | termios.IEXTEN
_ASCII = "ANSI_X3.4-1968"
_FALLBACK_SIZE = (80, 24)


def raw_attributes(attrs: list) -> list:
    """``cfmakeraw`` applied to a ``tcgetattr`` list, keeping (and setting) IUTF8."""
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = attrs
    cc = list(cc)
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    return [
        (iflag & ~_CLEAR_IFLAG) | _IUTF8,
        oflag & ~termios.OPOST,
        (cflag & ~(termios.CSIZE | termios.PARENB)) | termios.CS8,
        lflag & ~_CLEAR_LFLAG,
        ispeed,
        ospeed,
        cc,
    ]


class RawTerminal:
    """A terminal we switch to raw mode and later put back exactly as we found it."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        try:
            self.saved = termios.tcgetattr(fd)
        except termios.error as error:
            raise OSError(*error.args) from None
        self.raw = raw_attributes(self.saved)

    def enter(self) -> None:
        """Switch to raw mode (again, after a suspend)."""
        termios.tcsetattr(self.fd, termios.TCSANOW, self.raw)

    def restore(self) -> None:
        """Put back the attributes saved at construction."""
        termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)


def window_size(fd: int) -> tuple[int, int]:
    """(columns, rows) of the terminal on ``fd``; 80x24 if it reports nothing usable."""
    size = os.get_terminal_size(fd)
    if size.columns <= 0 or size.lines <= 0:
        return _FALLBACK_SIZE
    return size.columns, size.lines


def stop_process_group() -> None:
    """Suspend ourselves like a shell job (Ctrl-^ Ctrl-Z); returns once continued."""
    os.kill(0, signal.SIGSTOP)


@dataclass(frozen=True)
class Charset:
    """The local locale's character set, the variable that chose it, and a missing locale."""

    name: str
    variable: str = "[no charset variables]"  # mosh's LocaleVar: ``NAME=value``
    unavailable: str | None = None  # the requested locale, when it is not installed

    @property
    def is_utf8(self) -> bool:
        """mosh accepts exactly the codesets ``UTF-8`` and ``utf-8``."""
        return self.name in ("UTF-8", "utf-8")


def native_charset(env: Mapping[str, str]) -> Charset:
    """The codeset of the locale the environment selects, as ``setlocale(LC_ALL, "")`` would.

    Python coerces a C/POSIX locale to C.UTF-8 at startup (PEP 538/540),
    writing LC_CTYPE itself, and runs in UTF-8 mode; that case is the C
    locale (ASCII) and LC_CTYPE is not the user's.
    """
    coerced = _coerced(env)
    names = ("LC_ALL", "LANG") if coerced else ("LC_ALL", "LC_CTYPE", "LANG")
    chosen = next((name for name in names if env.get(name)), None)
    variable = f"{chosen}={env[chosen]}" if chosen else "[no charset variables]"
    value = env[chosen] if chosen else ""
    if coerced:
        missing = value if value not in ("", "C", "POSIX") else None
        return Charset(_ASCII, variable, missing)
    try:
        locale.setlocale(locale.LC_CTYPE, "")
    except locale.Error:
        return Charset(_ASCII, variable, value or None)
    return Charset(locale.nl_langinfo(locale.CODESET), variable)


def _coerced(env: Mapping[str, str]) -> bool:
    """Whether Python replaced a C locale by C.UTF-8 at startup (and wrote LC_CTYPE itself)."""
    return bool(sys.flags.utf8_mode) and "PYTHONUTF8" not in env


def show_locale(env: Mapping[str, str]) -> None:
    """Run ``locale`` so the user sees the settings mosh complains about (not Python's LC_CTYPE)."""
    sys.stdout.flush()
    sys.stderr.flush()
    shown = {k: v for k, v in env.items() if k != "LC_CTYPE" or not _coerced(env)}
    try:
        subprocess.call(["locale"], env=shown)
    except OSError:
        pass
