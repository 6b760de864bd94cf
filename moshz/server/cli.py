"""``moshz --server``: parse, fix the environment, bind, announce, detach, serve.

The order is mosh-server's (PROTOCOL.md 2.2-2.5): everything that can fail
or warn happens before ``MOSH CONNECT`` is printed and the process detaches,
so the user sees it through ssh; after that, output goes to /dev/null unless -v.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from typing import TextIO

from moshz.crypto import backend
from moshz.crypto.key import format_key
from moshz.crypto.session import Session
from moshz.errors import UsageError
from moshz.runtime import host
from moshz.runtime.clock import monotonic_ms
from moshz.runtime.detach import announce, detach
from moshz.runtime.pty import ChildSpec, PtyProcess, get_window_size
from moshz.runtime.serve import ServerDriver
from moshz.runtime.udp import ServerEndpoint, bind_server
from moshz.runtime.utmp import Utmp, detached_sessions
from moshz.server.args import (
    PROGRAM,
    BadArgument,
    ServerConfig,
    ShowText,
    parse_server_args,
    usage_line,
    version_text,
)
from moshz.server.environment import ShellCommand, shell_command, shell_environment
from moshz.server.motd import detached_notice
from moshz.server.locales import SYSTEM_LOCALE_ARCHIVE, fix_locale
from moshz.server.runtime_dir import decide_runtime_dir, linger_flag_path, private_dir_base
from moshz.server.session import IdleLimits, ServerSession, parse_idle_seconds
from moshz.ssp.transport import Transport
from moshz.statesync.terminal import TerminalState
from moshz.statesync.user import UserStream
from moshz.term.emulator import Emulator

DEFAULT_SIZE = (80, 24)
_MOTD_FILES = (("/run/motd.dynamic", "/var/run/motd.dynamic"), ("/etc/motd",))


@dataclass
class ShellSetup:
    """The shell to start: command, environment, and the private runtime dir we made (if any)."""

    command: ShellCommand
    environ: dict[str, str]
    home: str
    account: host.Account
    private_dir: str | None = None


def main(argv: list[str]) -> int:
    """Entry point for ``moshz --server ARGS``; returns the exit status."""
    try:
        parsed = parse_server_args(argv, os.environ)
    except UsageError as error:
        _say(f"{PROGRAM}: {error}")
        _say(usage_line())
        return 1 if isinstance(error, BadArgument) else 2
    if isinstance(parsed, ShowText):
        sys.stdout.write(parsed.text)
        return 0
    return run(parsed)


def run(config: ServerConfig) -> int:
    """Start a server session as configured (returns in the detached child when it ends)."""
    for warning in config.warnings:
        _say(warning)
    verbose = config.verbose > 0
    limits = _idle_limits()
    setup = prepare_shell(config, verbose)
    try:
        sock = bind_server(config.bind_ip, config.port_low, config.port_high, warn=_say)
    except OSError as error:
        _say(f"Network exception: {error.strerror or error}")
        _say(f"{PROGRAM}: no UDP port free in {config.port_low}..{config.port_high}")
        return 1
    if verbose:
        _say(f"{PROGRAM}: crypto backend {_crypto_description()}")
    _add_private_runtime_dir(setup, verbose)
    key = os.urandom(16)
    announce(sock.getsockname()[1], format_key(key), sys.stdout, os.isatty(0))
    size = get_window_size(0) or DEFAULT_SIZE
    detach("\n" + version_text(), verbose)
    try:
        _serve(setup, ServerEndpoint(sock), key, size, limits)
    finally:
        sock.close()
        if setup.private_dir:
            host.remove_private_dir(setup.private_dir, setup.account.uid)
        _write(sys.stdout, "\n[mosh-server is exiting.]\n")
    return 0


def prepare_shell(config: ServerConfig, verbose: bool) -> ShellSetup:
    """The shell's command and environment, with locale fixes applied and reported."""
    account = host.current_account(os.environ)
    home = os.environ.get("HOME") or account.home
    environ = shell_environment(
        os.environ, host.initial_environ(), config.locale_settings, config.colors, home
    )
    fixed = fix_locale(environ, host.locale_codeset, os.path.exists(SYSTEM_LOCALE_ARCHIVE))
    if fixed.warning:
        _say(fixed.warning)
    if fixed.note and verbose:
        _say(f"{PROGRAM}: {fixed.note}")
    command = shell_command(config.command, environ, account.shell)
    return ShellSetup(command, fixed.environ, home, account)


def _add_private_runtime_dir(setup: ShellSetup, verbose: bool) -> None:
    """Give the shell an XDG_RUNTIME_DIR that exists and survives logout (never fatal)."""
    environ = setup.environ
    current = environ.get("XDG_RUNTIME_DIR")
    account = setup.account
    lingering = os.path.exists(linger_flag_path(account.name))
    status = host.dir_status(current) if current else None
    decision = decide_runtime_dir(current, status, account.uid, lingering)
    if decision.keep:
        return
    path = host.make_private_dir(private_dir_base(environ), account.uid)
    if path is None:
        if status is None:
            environ.pop("XDG_RUNTIME_DIR", None)
        if verbose:
            _say(f"{PROGRAM}: {decision.reason}; could not make a private one")
        return
    environ["XDG_RUNTIME_DIR"] = setup.private_dir = path
    if verbose:
        _say(f"{PROGRAM}: {decision.reason}; using private XDG_RUNTIME_DIR {path}")


def _serve(
    setup: ShellSetup,
    endpoint: ServerEndpoint,
    key: bytes,
    size: tuple[int, int],
    limits: IdleLimits,
) -> None:
    now = monotonic_ms()
    emulator = Emulator(*size)
    local = TerminalState(emulator.frame(), 0)
    transport = Transport(
        Session(key), is_server=True, local=local, remote=UserStream(), now=now, rand=os.urandom
    )
    pty = PtyProcess.spawn(_child_spec(setup, size))
    utmp = Utmp(pty.fd)
    session = ServerSession(transport, emulator, now, limits)
    try:
        ServerDriver(session, endpoint, pty, utmp, _say).run()
    finally:
        utmp.remove()
        pty.close()
        _say(f"{PROGRAM}: {session.rejected} of {transport.datagrams_received} datagrams rejected")


def _child_spec(setup: ShellSetup, size: tuple[int, int]) -> ChildSpec:
    command = setup.command
    preamble = _login_preamble(setup) if command.login else b""
    return ChildSpec(
        command.path, command.argv, setup.environ, setup.home, size[0], size[1], preamble
    )


def _login_preamble(setup: ShellSetup) -> bytes:
    """Message of the day and detached-session notice (unless ~/.hushlogin), as mosh shows."""
    if os.path.lexists(os.path.join(setup.home, ".hushlogin")):
        return b""
    motd = b"".join(_first_readable(paths) for paths in _MOTD_FILES)
    return motd + detached_notice(detached_sessions(setup.account.name, Utmp.detached_label()))


def _first_readable(paths: tuple[str, ...]) -> bytes:
    for path in paths:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            pass
    return b""


def _idle_limits() -> IdleLimits:
    values = []
    for name in ("MOSH_SERVER_NETWORK_TMOUT", "MOSH_SERVER_SIGNAL_TMOUT"):
        milliseconds, complaint = parse_idle_seconds(name, os.environ.get(name))
        if complaint:
            _say(complaint)
        values.append(milliseconds)
    return IdleLimits(*values)


def _crypto_description() -> str:
    info = backend.current().info
    return f"{info.name} ({info.reason})"


def _say(message: str) -> None:
    """One line to stderr (before detaching: the user's ssh; after: /dev/null unless -v)."""
    _write(sys.stderr, message + "\n")


def _write(stream: TextIO, text: str) -> None:
    """Write and flush, ignoring a reader that has gone away (ssh closed, -v output)."""
    with contextlib.suppress(OSError, ValueError):
        stream.write(text)
        stream.flush()
