"""The client commands: ``moshz [options] host`` (wrapper) and the drop-in ``mosh-client``.

``client_main`` takes mosh-client's command line (the key in MOSH_KEY);
``wrapper_main`` starts the server over ssh, or locally with ``--local``,
then runs the same client session in this process.
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import Mapping

import moshz
from moshz.client import args as wrapper_args
from moshz.client.bootstrap import (
    BootstrapError,
    Startup,
    StartupReader,
    check_numeric_ip,
    choose_server_ip,
    host_part,
    local_server_argv,
    order_addresses,
    parse_ssh_config,
    remote_command,
    server_args,
    ssh_argv,
    ssh_config_argv,
)
from moshz.client.charset import charset_advice, unavailable_note
from moshz.client.escape import escape_config
from moshz.client.prediction import MODES
from moshz.client.selfinstall import SelfInstall
from moshz.client.session import EXITING, ClientConfig
from moshz.client.title import title_capable, title_prefix
from moshz.crypto.key import parse_key
from moshz.errors import UsageError
from moshz.runtime import selfpath, ssh, terminfo, tty
from moshz.term.display import Capabilities

CLIENT_NAMES = ("mosh-client", "moshz-client")
LICENSE = """\
License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law."""


def version_block() -> str:
    """The version text of ``--version`` (and of mosh-client's usage)."""
    from moshz.cli import version_text

    return version_text(False) + "\n" + LICENSE


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")
    sys.stderr.flush()


# -- checks shared by both commands --------------------------------------------


def _terminal_info(env: Mapping[str, str]) -> terminfo.TermInfo | None:
    """terminfo for $TERM, or None after printing mosh's complaint."""
    try:
        return terminfo.load(env.get("TERM") or None)
    except terminfo.TerminfoError as error:
        _err(f"Error: {error}")
        sys.stdout.write(EXITING)
        return None


def _locale_ok(program: str, env: Mapping[str, str]) -> bool:
    """True in a UTF-8 locale; else mosh's advice (and `locale`) is printed."""
    charset = tty.native_charset(env)
    if charset.is_utf8:
        return True
    if charset.unavailable:
        _err(unavailable_note(charset.variable, charset.unavailable))
    _err(charset_advice(program, charset.variable, charset.name))
    tty.show_locale(env)
    return False


def _config(
    ip: str,
    port: int,
    info: terminfo.TermInfo,
    env: Mapping[str, str],
    predict: str,
    overwrite: bool,
) -> ClientConfig:
    """The session settings from the environment and terminfo (PROTOCOL.md 2.6, 10.1)."""
    term = env.get("TERM", "")
    init = "MOSH_NO_TERM_INIT" not in env
    return ClientConfig(
        ip=ip,
        port=port,
        escape=escape_config(env.get("MOSH_ESCAPE_KEY")),
        caps=Capabilities(erase_char=info.ech, bce=info.bce, titles=title_capable(term)),
        smcup=info.smcup if init else b"",
        rmcup=info.rmcup if init else b"",
        title_prefix=title_prefix(env),
        predict=predict,
        predict_overwrite=overwrite,
    )


def _run_session(key: bytes, config: ClientConfig, verbose: int) -> int:
    from moshz.runtime.client import run_client

    return run_client(key, config, verbose)


# -- mosh-client -------------------------------------------------------------------


def _client_usage(program: str) -> str:
    return f"Usage: {program} [-# 'ARGS'] IP PORT\n       {program} -c\n"


def client_main(argv: list[str]) -> int:
    """mosh-client: ``[-v] [-# ARGS] IP PORT`` or ``-c``; the key comes from MOSH_KEY."""
    env = os.environ
    invoked = os.path.basename(sys.argv[0]) if sys.argv else ""
    program = invoked if invoked in CLIENT_NAMES else "moshz --client"
    if argv[:1] in (["--help"], ["--version"]):
        print(version_block())
        if argv[0] == "--help":
            print("\n" + _client_usage(program), end="")
        return 0
    try:
        positional, verbose, count_colors = _client_options(argv)
    except UsageError as error:
        _err(f"{program}: {error}\n\n{version_block()}\n\n{_client_usage(program)}")
        return 1
    if count_colors:
        return _print_colors(env)
    if len(positional) != 2 or not _is_udp_port(positional[1]):
        if len(positional) == 2:
            _err(f"{program}: Bad UDP port ({positional[1]})\n")
        _err(f"{version_block()}\n\n{_client_usage(program)}")
        return 1
    key_text = env.pop("MOSH_KEY", None)
    if key_text is None:
        _err("MOSH_KEY environment variable not found.")
        return 1
    return _start_client(program, positional, key_text, verbose, env)


def _is_udp_port(word: str) -> bool:
    """An ASCII decimal port number that UDP can use (mosh checks only the digits)."""
    return word.isascii() and word.isdigit() and int(word) <= 65535


def _client_options(argv: list[str]) -> tuple[list[str], int, bool]:
    """getopt "#:cv": the positional words, the -v count and whether -c was given."""
    verbose, count_colors, i = 0, False, 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word = argv[i]
        if word == "--":
            i += 1
            break
        for pos, letter in enumerate(word[1:], start=1):
            if letter == "v":
                verbose += 1
            elif letter == "c":
                count_colors = True
            elif letter == "#":
                if pos == len(word) - 1:
                    i += 1
                    if i >= len(argv):
                        raise UsageError("option requires an argument -- '#'")
                break
            else:
                raise UsageError(f"invalid option -- '{letter}'")
        i += 1
    return argv[i:], verbose, count_colors


def _print_colors(env: Mapping[str, str]) -> int:
    info = _terminal_info(env)
    if info is None:
        return 1
    print(info.colors)
    return 0


def _start_client(
    program: str, positional: list[str], key_text: str, verbose: int, env: Mapping[str, str]
) -> int:
    predict = env.get("MOSH_PREDICTION_DISPLAY", "adaptive")
    if predict not in MODES:
        _err(f"Unknown prediction mode {predict}.")
        return 1
    try:
        key = parse_key(key_text)
        ip = check_numeric_ip(positional[0])
    except (UsageError, BootstrapError) as error:
        _err(str(error))
        return 1
    info = _terminal_info(env)
    if info is None or not _locale_ok("mosh-client", env):
        return 1
    overwrite = env.get("MOSH_PREDICTION_OVERWRITE") == "yes"
    config = _config(ip, int(positional[1]), info, env, predict, overwrite)
    return _run_session(key, config, verbose)


# -- the wrapper ---------------------------------------------------------------------


def wrapper_main(argv: list[str]) -> int:
    """``moshz [options] [user@]host [command...]`` and ``moshz --local``."""
    env = os.environ
    try:
        opts = wrapper_args.parse_wrapper_args(argv, env)
    except UsageError as error:
        _err(f"moshz: {error}\n{wrapper_args.synopsis()}")
        return 2
    if opts.action == "help":
        print(wrapper_args.USAGE, end="")
        return 0
    if opts.action == "version":
        print(version_block())
        return 0
    info = _terminal_info(env)
    if info is None or not _locale_ok("moshz", env):
        return 1
    try:
        startup, ip = _start_server(opts, info.colors, env)
        key = parse_key(startup.key)
    except (BootstrapError, UsageError) as error:
        _err(str(error))
        return 1
    except _SshFailed as failed:
        return failed.status
    client_env = dict(env)
    if not opts.term_init:
        client_env["MOSH_NO_TERM_INIT"] = "1"
    overwrite = opts.predict_overwrite or env.get("MOSH_PREDICTION_OVERWRITE") == "yes"
    config = _config(ip, startup.port, info, client_env, opts.predict, overwrite)
    return _run_session(key, config, opts.verbose)


class _SshFailed(Exception):
    """ssh itself failed (it already said why); carries its exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _start_server(
    opts: wrapper_args.WrapperOptions, colors: int, env: Mapping[str, str]
) -> tuple[Startup, str]:
    """Start the server (ssh or local), read its startup lines; the startup facts and IP."""
    args = server_args(opts, colors, env)
    if opts.local:
        argv = local_server_argv(_this_program(), opts.server, args)
        child_env = {k: v for k, v in env.items() if k != "SSH_CONNECTION"}
        child_env.update(_module_path_env(env))
        process = _spawn(argv, child_env, env.get("HOME"), opts.verbose)
        reader = _read_startup(process, StartupReader(opts.host, opts.port), opts)
    else:
        reader = _start_remote(opts, args)
    startup = reader.result()
    ip = opts.host if opts.local else _server_ip(opts, startup)
    if opts.verbose:
        _err(f"moshz: server at {ip} port {startup.port}")
        _err(_local_versions())
    return startup, check_numeric_ip(ip)


def _local_versions() -> str:
    """-v: this client's crypto backend and Python (the server's come as 'moshz remote:' lines)."""
    from moshz.cli import version_text

    return "\n".join("moshz local: " + line for line in version_text(True).splitlines()[1:])


def _start_remote(opts: wrapper_args.WrapperOptions, args: list[str]) -> StartupReader:
    """The server over ssh; when the host lacks moshz, a second ssh sends this file first."""
    wanted = opts.install and opts.server is None
    install = SelfInstall(opts.install, selfpath.self_file() if wanted else None, opts.verbose > 0)
    argv = ssh_argv(opts, remote_command(opts.server, args, install.launch()))
    reader = install.reader(opts.host, opts.port)
    _read_startup(_spawn(argv, None, None, opts.verbose), reader, opts)
    if not reader.wants_upload or install.file is None:
        return reader
    if opts.verbose:
        _err(install.sending_note(opts.host, str(reader.install_dir)))
    argv = ssh_argv(opts, remote_command(None, args, install.launch(receive=True)), upload=True)
    reader = install.reader(opts.host, opts.port, uploaded=True)
    return _read_startup(_spawn(argv, None, None, opts.verbose, install.file.path), reader, opts)


def _read_startup(
    process: ssh.LineProcess, reader: StartupReader, opts: wrapper_args.WrapperOptions
) -> StartupReader:
    """Feed the child's lines to reader (showing the others) until MOSH CONNECT or EOF."""
    for line in process.lines():
        shown = reader.feed(line)
        if shown is not None:
            print(shown, flush=True)
        if reader.done:
            break
    status = process.close(stop=not opts.local)
    if not reader.done and not opts.local and status == 255:
        _err(f"moshz: ssh to {opts.host} failed (exit status 255).")
        raise _SshFailed(255)
    return reader


def _spawn(
    argv: list[str],
    env: Mapping[str, str] | None,
    cwd: str | None,
    verbose: int,
    stdin_path: str | None = None,
) -> ssh.LineProcess:
    if verbose:
        shown = argv if verbose > 1 else [_brief(word) for word in argv]
        _err("moshz: running " + shlex.join(shown))
    try:
        return ssh.LineProcess(argv, env, cwd, stdin_path)
    except OSError as error:
        raise BootstrapError(f"moshz: Cannot exec {argv[0]}: {error.strerror}") from None


def _brief(word: str) -> str:
    """A long word (the remote launch script) cut short for -v; -vv shows it whole."""
    return word if len(word) <= 200 else f"{word[:40]}...({len(word)} characters; -vv shows all)"


def _server_ip(opts: wrapper_args.WrapperOptions, startup: Startup) -> str:
    """Where to send UDP: see bootstrap.choose_server_ip."""
    text = ssh.command_output(ssh_config_argv(opts))
    host = host_part(opts.host)
    config = None if text is None else parse_ssh_config(text, host)
    hostname = host if config is None else config.hostname
    resolved = order_addresses(ssh.resolve(hostname), opts.family)
    proxied = None if config is None else config.proxied
    return choose_server_ip(startup, resolved, proxied, opts.host)


def _this_program() -> list[str]:
    """How to run this same moshz: the one-file zipapp itself, or ``python -m moshz``."""
    path = selfpath.running_file()
    return [path] if path is not None else [sys.executable, "-m", "moshz"]


def _module_path_env(env: Mapping[str, str]) -> dict[str, str]:
    """PYTHONPATH so that ``python -m moshz`` finds this moshz from another directory."""
    if _this_program()[0] != sys.executable:
        return {}
    root = os.path.dirname(os.path.dirname(os.path.abspath(moshz.__file__)))
    old = env.get("PYTHONPATH")
    return {"PYTHONPATH": root if not old else root + os.pathsep + old}
