"""The ``moshz`` command: one file that is the client, the server and mosh-client, by dispatch.

Imports are lazy so that ``--version`` and ``--help`` load neither the crypto backend nor pyte.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Callable, Sequence

import moshz
from moshz.errors import UsageError

CLIENT_NAMES = ("mosh-client", "moshz-client")
USAGE = """\
usage: moshz [options] [user@]host [command...]   connect to host over ssh, then UDP
       moshz --local [options]                     a local session (server and client here)
       moshz --server new [-p PORT] [-- command]   act as mosh-server
       moshz --client [-# ARGS] IP PORT            act as mosh-client (key in MOSH_KEY)
       moshz --version [-v]                        version; with -v also crypto and Python
       moshz --help

Invoked as mosh-client or moshz-client (a symlink), moshz acts as mosh-client.
MOSHZ_CRYPTO=auto|native|pure picks the AES-OCB3 backend (auto: native if it works here)."""
_USAGE_LINE = USAGE.splitlines()[0]
_DISPATCH_FLAGS = ("--server", "--client")
INTERRUPTED = 128 + 2  # the shell's status for a program ended by SIGINT


def version_text(verbose: bool) -> str:
    """What ``--version`` prints; with verbose, the crypto backend and the Python running us."""
    lines = [
        f"moshz {moshz.__version__} (wire-compatible with mosh {moshz.MOSH_VERSION}, protocol 2)"
    ]
    if verbose:
        from moshz.crypto import backend

        try:
            info = backend.current().info
            lines.append(f"crypto: {info.name} ({info.reason})")
        except UsageError as exc:
            lines.append(f"crypto: unusable ({exc})")
        lines.append(f"python: {sys.version.split()[0]} ({sys.executable})")
    return "\n".join(lines)


def _entry(module: str, function: str) -> Callable[[list[str]], int] | None:
    """A command's entry function, or None while its module is not part of moshz yet."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module + ".").startswith(exc.name + "."):
            return None
        raise
    return getattr(mod, function, None)


def _run(module: str, function: str, args: list[str], what: str) -> int:
    """Call module.function(args), or explain that this part is not built yet (exit 2)."""
    entry = _entry(module, function)
    if entry is None:
        print(f"moshz: {what} is not available yet in this version", file=sys.stderr)
        return 2
    return entry(args)


def _version_request(args: Sequence[str]) -> bool | None:
    """None unless args ask for the version; else whether -v (verbose) was given too."""
    if "--version" not in args or any(a not in ("--version", "-v", "--verbose") for a in args):
        return None
    return any(a in ("-v", "--verbose") for a in args)


def _dispatch(program: str, args: list[str]) -> int:
    """Pick the command for this argv[0] and these arguments and run it."""
    if program in CLIENT_NAMES:
        return _run("moshz.client.cli", "client_main", args, "mosh-client mode")
    first = args[0] if args else ""
    if first == "--server":
        return _run("moshz.server.cli", "main", args[1:], "the server (--server)")
    if first == "--client":
        return _run("moshz.client.cli", "client_main", args[1:], "mosh-client mode (--client)")
    if first.startswith(_DISPATCH_FLAGS):
        print(f"moshz: {first}: give --server or --client alone, as the first argument",
              file=sys.stderr)
        print(_USAGE_LINE, file=sys.stderr)
        return 2
    verbose = _version_request(args)
    if verbose is not None:
        print(version_text(verbose))
        return 0
    if first in ("--help", "-h"):
        print(USAGE)
        return 0
    return _run("moshz.client.cli", "wrapper_main", args, "the client")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the moshz file: dispatch on argv[0] and the first argument."""
    argv = list(sys.argv if argv is None else argv)
    program = os.path.basename(argv[0]) if argv else "moshz"
    try:
        return _dispatch(program, argv[1:])
    except UsageError as exc:
        print(f"moshz: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C before the session (ssh connecting, say): ssh got it too
        return INTERRUPTED
