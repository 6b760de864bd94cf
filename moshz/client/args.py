"""The command line of ``moshz [options] [user@]host [command...]`` (mosh's wrapper options).

Parsing is table driven and stops at the first word that is not an option, so
``moshz host ls -l`` runs ``ls -l`` remotely. Errors raise ``UsageError``;
the caller prints the message plus ``USAGE`` and exits 2.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from dataclasses import dataclass, field
from typing import Mapping

from moshz.errors import UsageError

PREDICT_MODES = ("adaptive", "always", "never", "experimental")
FAMILIES = ("inet", "inet6", "auto", "all", "prefer-inet", "prefer-inet6")

USAGE = """\
Usage: moshz [options] [--] [user@]host [command...]
       moshz --local [options] [--] [command...]
        --server=COMMAND     server command on the remote machine
                                (default: moshz, looked up on the remote PATH,
                                 then ~/moshz and ~/bin/moshz)
                                (for mosh's own server: --server=mosh-server)

        --predict=adaptive      local echo for slower links [default]
-a      --predict=always        use local echo even on fast links
-n      --predict=never         never use local echo
        --predict=experimental  aggressively echo even when incorrect

-o      --predict-overwrite     prediction overwrites instead of inserting

-4      --family=inet        use IPv4 only
-6      --family=inet6       use IPv6 only
        --family=auto        autodetect network type for single-family hosts only
        --family=all         try all network types
        --family=prefer-inet use all network types, but try IPv4 first [default]
        --family=prefer-inet6 use all network types, but try IPv6 first
-p PORT[:PORT2]
        --port=PORT[:PORT2]  server-side UDP port or range
                                (No effect on server-side SSH port)
        --bind-server={ssh|any|IP}  ask the server to reply from an IP address
                                       (default: "ssh")

        --ssh=COMMAND        ssh command to run when setting up session
                                (example: "ssh -p 2222")
                                (default: "ssh")

        --no-ssh-pty         do not allocate a pseudo tty on ssh connection

        --no-install         never send this moshz file to the server
                                (default: when the server has no moshz, send it
                                 into ~/.cache/moshz there, checked by sha256)

        --no-init            do not send terminal initialization string

        --local              run the server on this machine, without ssh
                                (a host, if given, must be an IP address or localhost)

-v      --verbose            report what the bootstrap does
        --help               this message
        --version            version and copyright information

drop-in mosh-client: MOSH_KEY=KEY moshz --client [-v] IP PORT
"""


def synopsis() -> str:
    """The short usage shown after a usage error, so that the error stays on screen."""
    lines = USAGE.splitlines()[:2]
    return "\n".join(lines + ["Run 'moshz --help' for the options."])


@dataclass(frozen=True)
class WrapperOptions:
    """What the user asked for on the ``moshz`` command line (mosh's wrapper options)."""

    host: str = ""
    command: tuple[str, ...] = ()
    ssh: tuple[str, ...] = ("ssh",)
    server: str | None = None
    port: str | None = None
    predict: str = "adaptive"
    predict_overwrite: bool = False
    family: str = "prefer-inet"
    term_init: bool = True
    local: bool = False
    bind_server: str = "ssh"
    ssh_pty: bool = True
    install: bool = True
    verbose: int = 0
    action: str = "run"  # "run", "help" or "version"


@dataclass
class _Raw:
    """Settings as they are collected, before validation."""

    values: dict[str, object] = field(default_factory=dict)
    verbose: int = 0
    positional: list[str] = field(default_factory=list)


# long option -> (setting, fixed value); None means the option takes an argument.
_LONG: dict[str, tuple[str, object]] = {
    "ssh": ("ssh", None),
    "server": ("server", None),
    "port": ("port", None),
    "predict": ("predict", None),
    "family": ("family", None),
    "bind-server": ("bind_server", None),
    "predict-overwrite": ("predict_overwrite", True),
    "no-predict-overwrite": ("predict_overwrite", False),
    "init": ("term_init", True),
    "no-init": ("term_init", False),
    "ssh-pty": ("ssh_pty", True),
    "no-ssh-pty": ("ssh_pty", False),
    "install": ("install", True),
    "no-install": ("install", False),
    "local": ("local", True),
    "help": ("action", "help"),
    "version": ("action", "version"),
}

_SHORT: dict[str, tuple[str, object]] = {
    "p": ("port", None),
    "4": ("family", "inet"),
    "6": ("family", "inet6"),
    "a": ("predict", "always"),
    "n": ("predict", "never"),
    "o": ("predict_overwrite", True),
}


def parse_wrapper_args(argv: list[str], env: Mapping[str, str]) -> WrapperOptions:
    """Turn the wrapper's argv (without the program name) into validated options."""
    raw = _collect(argv)
    values = raw.values
    if values.get("action") in ("help", "version"):
        return WrapperOptions(action=str(values["action"]))
    opts = _validated(values, env)
    host, command = _split_positional(raw.positional, bool(values.get("local")))
    return WrapperOptions(host=host, command=command, verbose=raw.verbose, **opts)


def _collect(argv: list[str]) -> _Raw:
    raw = _Raw()
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            raw.positional = argv[i + 1 :]
            break
        if word.startswith("--"):
            i = _take_long(argv, i, raw)
        elif word.startswith("-") and word != "-":
            i = _take_short(argv, i, raw)
        else:
            raw.positional = argv[i:]
            break
    return raw


def _take_long(argv: list[str], i: int, raw: _Raw) -> int:
    name, eq, value = argv[i][2:].partition("=")
    if name == "verbose" and not eq:
        raw.verbose += 1
        return i + 1
    if name not in _LONG:
        raise UsageError(f"unknown option --{name}")
    setting, fixed = _LONG[name]
    if fixed is not None:
        if eq:
            raise UsageError(f"option --{name} does not take a value")
        raw.values[setting] = fixed
        return i + 1
    if not eq:
        if i + 1 >= len(argv):
            raise UsageError(f"option --{name} requires a value")
        i += 1
        value = argv[i]
    raw.values[setting] = value
    return i + 1


def _take_short(argv: list[str], i: int, raw: _Raw) -> int:
    letters = argv[i][1:]
    for pos, letter in enumerate(letters):
        if letter == "v":
            raw.verbose += 1
            continue
        if letter not in _SHORT:
            raise UsageError(f"unknown option -{letter}")
        setting, fixed = _SHORT[letter]
        if fixed is not None:
            raw.values[setting] = fixed
            continue
        rest = letters[pos + 1 :]
        if rest:
            raw.values[setting] = rest
            return i + 1
        if i + 1 >= len(argv):
            raise UsageError(f"option -{letter} requires a value")
        raw.values[setting] = argv[i + 1]
        return i + 2
    return i + 1


def _validated(values: dict[str, object], env: Mapping[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in ("predict_overwrite", "term_init", "ssh_pty", "install", "local", "server"):
        if name in values:
            out[name] = values[name]
    if "ssh" in values:
        out["ssh"] = _ssh_words(str(values["ssh"]))
    if "port" in values:
        out["port"] = check_port_request(str(values["port"]))
    out["predict"] = _predict_mode(values.get("predict"), env)
    out["family"] = _family(str(values.get("family", "prefer-inet")))
    out["bind_server"] = _bind_server(str(values.get("bind_server", "ssh")))
    return out


def _ssh_words(command: str) -> tuple[str, ...]:
    try:
        words = tuple(shlex.split(command))
    except ValueError as error:
        raise UsageError(f"--ssh={command}: {error}") from None
    if not words:
        raise UsageError("--ssh needs a command")
    return words


def _predict_mode(option: object, env: Mapping[str, str]) -> str:
    if option is not None:
        mode, where = str(option), ""
    elif "MOSH_PREDICTION_DISPLAY" in env:
        mode, where = env["MOSH_PREDICTION_DISPLAY"], " (MOSH_PREDICTION_DISPLAY in environment)"
    else:
        return "adaptive"
    if mode not in PREDICT_MODES:
        raise UsageError(f'Unknown mode "{mode}"{where}.')
    return mode


def _family(family: str) -> str:
    family = family.lower()
    if family not in FAMILIES:
        raise UsageError(f"Invalid family {family}")
    return family


def _bind_server(value: str) -> str:
    if value.lower() in ("ssh", "any"):
        return value.lower()
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise UsageError(f"--bind-server={value}: expected ssh, any or an IP address") from None
    return value


_PORT_RE = re.compile(r"([0-9]+)(?::([0-9]+))?\Z")


def check_port_request(request: str) -> str:
    """Validate ``PORT[:PORT2]`` with mosh's wrapper rules and messages; returns it unchanged."""
    match = _PORT_RE.match(request)
    if not match:
        raise UsageError(f"Server-side port or range ({request}) is not valid.")
    low = int(match.group(1))
    if low > 65535:
        raise UsageError(f"Server-side (low) port ({low}) must be within valid range [0..65535].")
    if match.group(2) is None:
        return request
    high = int(match.group(2))
    if high <= 0 or high > 65535:
        raise UsageError(f"Server-side high port ({high}) must be within valid range [1..65535].")
    if low == 0:
        raise UsageError(
            f"Server-side port ranges may not be used with starting port 0 ({request})."
        )
    if low > high:
        raise UsageError(f"Server-side port range ({request}): low port greater than high port.")
    return request


def _split_positional(words: list[str], local: bool) -> tuple[str, tuple[str, ...]]:
    if local:
        if words and words[0] == "localhost":
            return "127.0.0.1", tuple(words[1:])
        if words and _is_ip(words[0]):
            return words[0], tuple(words[1:])
        return "127.0.0.1", tuple(words)
    if not words:
        raise UsageError("no host given")
    return words[0], tuple(words[1:])


def _is_ip(word: str) -> bool:
    try:
        ipaddress.ip_address(word)
    except ValueError:
        return False
    return True
