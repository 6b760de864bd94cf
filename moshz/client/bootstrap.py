"""Starting the server over ssh (or locally) and learning where and how to reach it.

Pure pieces of mosh's wrapper flow (PROTOCOL.md 2.7): the server's argument
list, the remote command line, the ssh argv, the parsing of the lines the
remote side prints (``MOSH IP``, ``MOSH SSH_CONNECTION``, ``MOSH CONNECT``)
and the choice of the server address. ``runtime/ssh.py`` runs the processes.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from moshz.client.args import WrapperOptions
from moshz.client.remote_launch import NO_SERVER_MARKER, Launch, launch_script
from moshz.locale_variables import LOCALE_VARIABLES


SERVER_PLACES = ("moshz on the PATH", "~/moshz", "~/bin/moshz")

_SSH_CONNECTION_SNIPPET = (
    '[ -n "$SSH_CONNECTION" ] && printf "\\nMOSH SSH_CONNECTION %s\\n" "$SSH_CONNECTION"'
)

_CONNECT_RE = re.compile(r"MOSH CONNECT ([0-9]+) ([A-Za-z0-9/+]{22})\s*\Z")
_IP_RE = re.compile(r"MOSH IP (\S+)\s*\Z")


class BootstrapError(Exception):
    """The session could not be set up; the message tells the user what happened."""


def shell_quote(words: Sequence[str]) -> str:
    """Each word single-quoted for a POSIX shell (``'`` becomes ``'\\''``), space separated."""
    return " ".join("'" + word.replace("'", "'\\''") + "'" for word in words)


def locale_assignments(env: Mapping[str, str]) -> list[str]:
    """``NAME=value`` for every locale variable set here, to recreate our locale remotely."""
    return [f"{name}={env[name]}" for name in LOCALE_VARIABLES if name in env]


def server_args(opts: WrapperOptions, colors: int, env: Mapping[str, str]) -> list[str]:
    """The arguments after the server program: ``new -c N [bind] [-p P] -l ... [-- cmd]``."""
    args = ["new", "-c", str(max(colors, 0))]
    if opts.bind_server == "ssh":
        args += ["-i", opts.host] if opts.local else ["-s"]
    elif opts.bind_server != "any":
        args += ["-i", opts.bind_server]
    if opts.port is not None:
        args += ["-p", opts.port]
    for assignment in locale_assignments(env):
        args += ["-l", assignment]
    if opts.command:
        args += ["--", *opts.command]
    return args


def remote_command(server: str | None, args: Sequence[str], launch: Launch | None = None) -> str:
    """The command line ssh runs remotely: report $SSH_CONNECTION, then start the server.

    Without ``server`` the remote side runs the launch script (remote_launch):
    moshz on its PATH, in ~/moshz, ~/bin/moshz, or (self-install) in its cache.
    """
    report = "sh -c " + shell_quote([_SSH_CONNECTION_SNIPPET]) + " ; "
    if server is not None:
        return report + server + " " + shell_quote(args)
    script = launch_script(launch or Launch())
    return report + "sh -c " + shell_quote([script, "moshz", *args])


def ssh_argv(opts: WrapperOptions, command: str, upload: bool = False) -> list[str]:
    """The system ssh command: the user's host exactly as given, so ~/.ssh/config applies.

    With ``upload`` ssh forwards its stdin (the file self-install sends) and gets no pty.
    """
    argv = [*opts.ssh, "-T"] if upload else [*opts.ssh, "-n"]
    if opts.ssh_pty and not upload:
        argv.append("-tt")
    if opts.family == "inet":
        argv.append("-4")
    elif opts.family == "inet6":
        argv.append("-6")
    return [*argv, opts.host, "--", command]


def ssh_config_argv(opts: WrapperOptions) -> list[str]:
    """``ssh -G host``: how ssh itself resolves the host (alias, proxy), without connecting."""
    return [*opts.ssh, "-G", opts.host]


def local_server_argv(program: Sequence[str], server: str | None, args: Sequence[str]) -> list[str]:
    """The server started by ``--local``: this same program, or the ``--server`` command."""
    if server is not None:
        return ["/bin/sh", "-c", server + " " + shell_quote(args)]
    return [*program, "--server", *args]


@dataclass(frozen=True)
class SshConfig:
    """What ``ssh -G`` says about a host: the real host name and whether ssh goes via a proxy."""

    hostname: str
    proxied: bool


def parse_ssh_config(text: str, fallback_host: str) -> SshConfig:
    """Read ``ssh -G`` output (lines of ``key value``)."""
    hostname = fallback_host
    proxied = False
    for line in text.splitlines():
        key, _, value = line.strip().partition(" ")
        key = key.lower()
        if key == "hostname" and value:
            hostname = value
        elif key in ("proxycommand", "proxyjump") and value and value.lower() != "none":
            proxied = True
    return SshConfig(hostname, proxied)


def host_part(userhost: str) -> str:
    """``host`` of ``user@host`` (the last ``@`` separates, as in ssh)."""
    return userhost.rpartition("@")[2]


@dataclass(frozen=True)
class Startup:
    """What the remote side told us: where the server listens and its key."""

    port: int
    key: str
    ip: str | None = None
    ssh_ip: str | None = None


class StartupReader:
    """Reads the ssh (or local server) output lines until ``MOSH CONNECT``."""

    def __init__(self, host: str, port_request: str | None = None) -> None:
        self.host = host
        self.port_request = port_request
        self.done = False
        self._ip: str | None = None
        self._ssh_ip: str | None = None
        self._connect: tuple[int, str] | None = None
        self._no_server = False
        self._bad_udp_port = False

    def feed(self, line: str) -> str | None:
        """Take one line (without its newline); returns what to show the user, or None."""
        if line.startswith("MOSH IP "):
            self._read_ip(line)
        elif line.startswith("MOSH SSH_CONNECTION "):
            self._read_ssh_connection(line)
        elif line.startswith("MOSH CONNECT "):
            self._read_connect(line)
        elif line.rstrip() == NO_SERVER_MARKER:
            self._no_server = True
        elif line.strip():
            if self.port_request and ":" in self.port_request and "Bad UDP port" in line:
                self._bad_udp_port = True
            return line
        return None

    def _read_ip(self, line: str) -> None:
        if self._ip is not None:
            raise BootstrapError("moshz error: detected attempt to redefine MOSH IP.")
        match = _IP_RE.match(line)
        if not match:
            raise BootstrapError(f"Bad MOSH IP string: {line}")
        self._ip = match.group(1)

    def _read_ssh_connection(self, line: str) -> None:
        words = line.split()
        if len(words) != 6:
            raise BootstrapError(f"Bad MOSH SSH_CONNECTION string: {line}")
        self._ssh_ip = words[4]

    def _read_connect(self, line: str) -> None:
        match = _CONNECT_RE.match(line)
        if not match or not 0 < int(match.group(1)) < 65536:
            raise BootstrapError(f"Bad MOSH CONNECT string: {line.rstrip()}")
        self._connect = (int(match.group(1)), match.group(2))
        self.done = True

    def result(self) -> Startup:
        """The startup facts, or a BootstrapError saying what went wrong and what to do."""
        if self._connect is None:
            raise BootstrapError(self._missing_connect())
        return Startup(self._connect[0], self._connect[1], self._ip, self._ssh_ip)

    def _missing_connect(self) -> str:
        if self._no_server:
            places = ", ".join(SERVER_PLACES)
            return (
                f"moshz: no moshz server found on {self.host} (looked for {places}).\n"
                f"Copy this moshz file to ~/bin/moshz on {self.host} and make it executable,\n"
                "or use mosh's own server with --server=mosh-server."
            )
        if self._bad_udp_port:
            return "moshz: Server does not support UDP port range option."
        return (
            "moshz: Did not find the server's startup message (MOSH CONNECT).\n"
            f"Is moshz (or mosh-server, with --server=mosh-server) installed on {self.host}?"
        )


def order_addresses(addresses: Sequence[tuple[int, str]], family: str) -> list[str]:
    """Apply the --family policy to resolved ``(ip version, address)`` pairs."""
    if family in ("inet", "inet6"):
        version = 4 if family == "inet" else 6
        return [addr for v, addr in addresses if v == version]
    if family.startswith("prefer-"):
        first = 4 if family == "prefer-inet" else 6
        return [a for v, a in addresses if v == first] + [a for v, a in addresses if v != first]
    if family == "auto" and len({v for v, _ in addresses}) > 1:
        raise BootstrapError(
            "moshz: host has both IPv4 and IPv6 addresses, use --family to specify behavior"
        )
    return [addr for _, addr in addresses]


def choose_server_ip(
    startup: Startup, resolved: Sequence[str], proxied: bool | None, host: str
) -> str:
    """The UDP address of the server.

    A ``MOSH IP`` line wins. Next, when ssh connects directly (not via a
    proxy), the address ssh used: the host resolved here, which survives NAT.
    Else the server address of the remote $SSH_CONNECTION, then the local
    resolution.
    """
    if startup.ip is not None:
        return startup.ip
    if proxied is False and resolved:
        return resolved[0]
    if startup.ssh_ip is not None:
        return startup.ssh_ip
    if resolved:
        return resolved[0]
    raise BootstrapError(
        f"moshz: Did not find the remote IP address of {host} "
        "(no $SSH_CONNECTION from the server and the name does not resolve here)."
    )


def check_numeric_ip(ip: str) -> str:
    """The client connects to a numeric address only, as mosh-client does."""
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise BootstrapError(f"moshz: {ip} is not an IP address") from None
    return ip
