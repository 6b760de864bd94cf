"""The ``mosh-server`` command line (PROTOCOL.md 2.1), parsed without touching the OS.

``moshz --server`` accepts what ``mosh-server`` accepts: the ``new`` form with
getopt-style options, the legacy ``[IP [PORT]]`` forms, ``--help``/``-h`` and
``--version``. Unlike mosh, an unknown option is fatal (usage error, exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from moshz import MOSH_VERSION, __version__
from moshz.errors import UsageError
from moshz.server.locales import is_locale_variable

PROGRAM = "moshz --server"
DEFAULT_PORT_LOW = 60001
DEFAULT_PORT_HIGH = 60999
_OPTIONS_WITH_VALUE = "@ipcl"
_FLAG_OPTIONS = "sv"
_INTEGER = re.compile(r"\s*[+-]?[0-9]+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IPV4_MAPPED = "::ffff:"


class BadArgument(UsageError):
    """A well-formed option with a value mosh rejects (bad port range, colours): exit 1."""


@dataclass(frozen=True)
class ServerConfig:
    """Everything the command line decides about a server session."""

    bind_ip: str | None = None
    port_low: int = DEFAULT_PORT_LOW
    port_high: int = DEFAULT_PORT_HIGH
    colors: int = 0
    locale_settings: tuple[tuple[str, str], ...] = ()
    verbose: int = 0
    command: tuple[str, ...] = ()  # empty: run the user's login shell
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShowText:
    """``--help`` or ``--version``: print ``text`` to stdout and exit 0."""

    text: str


def usage_line() -> str:
    """The one-line usage mosh prints (with our program name)."""
    return (
        f"Usage: {PROGRAM} new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS]"
        " [-l NAME=VALUE] [-- COMMAND...]"
    )


def version_text() -> str:
    """The version block, in mosh's layout so scripts that read it keep working."""
    return (
        f"mosh-server (mosh {MOSH_VERSION}) [build moshz {__version__}]\n"
        "Copyright 2012 Keith Winstein <mosh-devel@mit.edu>\n"
        "License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n"
        "This is free software: you are free to change and redistribute it.\n"
        "There is NO WARRANTY, to the extent permitted by law.\n"
    )


def parse_server_args(argv: Sequence[str], environ: Mapping[str, str]) -> ServerConfig | ShowText:
    """Parse the arguments after ``--server`` (``environ`` supplies SSH_CONNECTION for -s)."""
    options, command = _split_command(argv)
    for word in options:
        if word in ("--help", "-h"):
            return ShowText(usage_line() + "\n")
        if word == "--version":
            return ShowText(version_text())
    if options and (options[0] == "new" or options[0].startswith("-")):
        start = 1 if options[0] == "new" else 0
        builder = _Builder(environ)
        for letter, value in _getopt(options[start:]):
            builder.apply(letter, value)
        return builder.build(command)
    return _legacy(options, command)


def _split_command(argv: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """Cut argv at the first ``--``: options before it, the command after it."""
    words = list(argv)
    if "--" in words:
        cut = words.index("--")
        return words[:cut], tuple(words[cut + 1 :])
    return words, ()


def _legacy(words: list[str], command: tuple[str, ...]) -> ServerConfig:
    """The old ``mosh-server [IP [PORT]]`` forms."""
    if len(words) > 2:
        raise BadArgument("too many arguments")
    ip = words[0] if words else None
    low, high = DEFAULT_PORT_LOW, DEFAULT_PORT_HIGH
    if len(words) == 2:
        low, high = parse_port_range(words[1])
    return ServerConfig(bind_ip=ip, port_low=low, port_high=high, command=command)


def _getopt(words: Sequence[str]) -> list[tuple[str, str]]:
    """POSIX getopt over ``words`` with mosh's option string; non-options are skipped."""
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-") or word == "-":
            continue
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in _FLAG_OPTIONS:
                found.append((letter, ""))
                continue
            if letter not in _OPTIONS_WITH_VALUE:
                raise UsageError(f"invalid option -- '{letter}'")
            if position < len(word):
                found.append((letter, word[position:]))
            elif index < len(words):
                found.append((letter, words[index]))
                index += 1
            else:
                raise UsageError(f"option requires an argument -- '{letter}'")
            break
    return found


class _Builder:
    """Accumulates option effects in order (later -s / -i override earlier ones)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.bind_ip: str | None = None
        self.ports = (DEFAULT_PORT_LOW, DEFAULT_PORT_HIGH)
        self.colors = 0
        self.locale: list[tuple[str, str]] = []
        self.verbose = 0
        self.warnings: list[str] = []

    def apply(self, letter: str, value: str) -> None:
        """Record one parsed option."""
        if letter == "i":
            self.bind_ip = value
        elif letter == "p":
            self.ports = parse_port_range(value)
        elif letter == "s":
            self.bind_ip = self._ssh_ip()
        elif letter == "c":
            self.colors = parse_colors(value)
        elif letter == "v":
            self.verbose += 1
        elif letter == "l":
            self._add_locale(value)

    def _ssh_ip(self) -> str | None:
        ip, warning = ssh_connection_ip(self.environ.get("SSH_CONNECTION"))
        if warning:
            self.warnings.append(warning)
        return ip

    def _add_locale(self, setting: str) -> None:
        name, sep, value = setting.partition("=")
        if sep and _NAME.fullmatch(name) and is_locale_variable(name):
            self.locale.append((name, value))
        else:
            self.warnings.append(f"Ignoring -l {setting}: not a locale setting NAME=VALUE")

    def build(self, command: tuple[str, ...]) -> ServerConfig:
        """The finished configuration."""
        return ServerConfig(
            bind_ip=self.bind_ip,
            port_low=self.ports[0],
            port_high=self.ports[1],
            colors=self.colors,
            locale_settings=tuple(self.locale),
            verbose=self.verbose,
            command=command,
            warnings=tuple(self.warnings),
        )


def ssh_connection_ip(value: str | None) -> tuple[str | None, str]:
    """The server-side IP of ``$SSH_CONNECTION`` for -s, or None plus mosh's warning."""
    if value is None:
        return None, "Warning: SSH_CONNECTION not found; binding to any interface."
    fields = value.split()
    if len(fields) < 3:
        return None, "Warning: Could not parse SSH_CONNECTION; binding to any interface."
    ip = fields[2]
    if len(ip) > len(_IPV4_MAPPED) and ip[: len(_IPV4_MAPPED)].lower() == _IPV4_MAPPED:
        ip = ip[len(_IPV4_MAPPED) :]
    return ip, ""


def parse_colors(text: str) -> int:
    """The -c value: a decimal integer, else mosh's 'Bad number of colors' error."""
    if not _INTEGER.fullmatch(text):
        raise BadArgument(f"Bad number of colors ({text})")
    return int(text)


def parse_port_range(text: str) -> tuple[int, int]:
    """``PORT`` or ``LOW:HIGH`` with mosh's rules; raises BadArgument naming the problem."""
    low_text, sep, high_text = text.partition(":")
    low = _port_number(low_text, text, "low")
    if not sep:
        return low, low
    high = _port_number(high_text, text, "high")
    if low > high:
        raise _bad_range(text, f"low port {low} greater than high port {high}")
    if low == 0:
        raise _bad_range(text, "low port 0 incompatible with port ranges")
    return low, high


def _port_number(word: str, text: str, which: str) -> int:
    if not _INTEGER.fullmatch(word):
        raise _bad_range(text, f"invalid {which} port number ({word})")
    value = int(word)
    if not 0 <= value <= 65535:
        raise _bad_range(text, f"{which} port number {value} outside valid range [0..65535]")
    return value


def _bad_range(text: str, reason: str) -> BadArgument:
    return BadArgument(f"Bad UDP port range ({text}): {reason}")
