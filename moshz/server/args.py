"""The ``mosh-server`` command line (PROTOCOL.md 2.1), parsed without touching the OS.

``moshz --server`` accepts what ``mosh-server`` accepts: the ``new`` form with
getopt-style options, the legacy ``[IP [PORT]]`` forms, ``--help``/``-h`` and
``--version``. Unlike mosh, an unknown option is fatal (usage error, exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple, Union

from moshz import MOSH_VERSION, __version__
from moshz.errors import UsageError

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

    bind_ip: Optional[str] = None
    port_low: int = DEFAULT_PORT_LOW
    port_high: int = DEFAULT_PORT_HIGH
    colors: int = 0
    locale_settings: Tuple[Tuple[str, str], ...] = ()
    verbose: int = 0
    command: Tuple[str, ...] = ()  # empty: run the user's login shell
    warnings: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ShowText:
    """``--help`` or ``--version``: print ``text`` to stdout and exit 0."""

    text: str


def usage_line() -> str:
    """The one-line usage mosh prints (with our program name)."""
    return (
        "Usage: %s new [-s] [-v] [-i LOCALADDR] [-p PORT[:PORT2]] [-c COLORS]"
        " [-l NAME=VALUE] [-- COMMAND...]" % PROGRAM
    )


def version_text() -> str:
    """The version block, in mosh's layout so scripts that read it keep working."""
    return (
        "mosh-server (mosh %s) [build moshz %s]\n"
        "Copyright 2012 Keith Winstein <mosh-devel@mit.edu>\n"
        "License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n"
        "This is free software: you are free to change and redistribute it.\n"
        "There is NO WARRANTY, to the extent permitted by law.\n" % (MOSH_VERSION, __version__)
    )


def parse_server_args(
    argv: Sequence[str], environ: Mapping[str, str]
) -> Union[ServerConfig, ShowText]:
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


def _split_command(argv: Sequence[str]) -> Tuple[List[str], Tuple[str, ...]]:
    """Cut argv at the first ``--``: options before it, the command after it."""
    words = list(argv)
    if "--" in words:
        cut = words.index("--")
        return words[:cut], tuple(words[cut + 1 :])
    return words, ()


def _legacy(words: List[str], command: Tuple[str, ...]) -> ServerConfig:
    """The old ``mosh-server [IP [PORT]]`` forms."""
    if len(words) > 2:
        raise BadArgument("too many arguments")
    ip = words[0] if words else None
    low, high = DEFAULT_PORT_LOW, DEFAULT_PORT_HIGH
    if len(words) == 2:
        low, high = parse_port_range(words[1])
    return ServerConfig(bind_ip=ip, port_low=low, port_high=high, command=command)


def _getopt(words: Sequence[str]) -> List[Tuple[str, str]]:
    """POSIX getopt over ``words`` with mosh's option string; non-options are skipped."""
    found: List[Tuple[str, str]] = []
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
                raise UsageError("invalid option -- '%s'" % letter)
            if position < len(word):
                found.append((letter, word[position:]))
            elif index < len(words):
                found.append((letter, words[index]))
                index += 1
            else:
                raise UsageError("option requires an argument -- '%s'" % letter)
            break
    return found


class _Builder:
    """Accumulates option effects in order (later -s / -i override earlier ones)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.bind_ip: Optional[str] = None
        self.ports = (DEFAULT_PORT_LOW, DEFAULT_PORT_HIGH)
        self.colors = 0
        self.locale: List[Tuple[str, str]] = []
        self.verbose = 0
        self.warnings: List[str] = []

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

    def _ssh_ip(self) -> Optional[str]:
        ip, warning = ssh_connection_ip(self.environ.get("SSH_CONNECTION"))
        if warning:
            self.warnings.append(warning)
        return ip

    def _add_locale(self, setting: str) -> None:
        name, sep, value = setting.partition("=")
        if sep and _NAME.fullmatch(name) and is_locale_variable(name):
            self.locale.append((name, value))
        else:
            self.warnings.append("Ignoring -l %s: not a locale setting NAME=VALUE" % setting)

    def build(self, command: Tuple[str, ...]) -> ServerConfig:
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


def is_locale_variable(name: str) -> bool:
    """True for the variables mosh forwards with -l (LANG, LANGUAGE, LC_*)."""
    return name in ("LANG", "LANGUAGE") or name.startswith("LC_")


def ssh_connection_ip(value: Optional[str]) -> Tuple[Optional[str], str]:
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
        raise BadArgument("Bad number of colors (%s)" % text)
    return int(text)


def parse_port_range(text: str) -> Tuple[int, int]:
    """``PORT`` or ``LOW:HIGH`` with mosh's rules; raises BadArgument naming the problem."""
    low_text, sep, high_text = text.partition(":")
    low = _port_number(low_text, text, "low")
    if not sep:
        return low, low
    high = _port_number(high_text, text, "high")
    if low > high:
        raise _bad_range(text, "low port %d greater than high port %d" % (low, high))
    if low == 0:
        raise _bad_range(text, "low port 0 incompatible with port ranges")
    return low, high


def _port_number(word: str, text: str, which: str) -> int:
    if not _INTEGER.fullmatch(word):
        raise _bad_range(text, "invalid %s port number (%s)" % (which, word))
    value = int(word)
    if not 0 <= value <= 65535:
        raise _bad_range(text, "%s port number %d outside valid range [0..65535]" % (which, value))
    return value


def _bad_range(text: str, reason: str) -> BadArgument:
    return BadArgument("Bad UDP port range (%s): %s" % (text, reason))
