"""Tests for the ssh bootstrap: command lines, startup lines, server address choice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from moshz.client.args import WrapperOptions
from moshz.client.bootstrap import (
    NO_SERVER_MARKER,
    BootstrapError,
    Startup,
    StartupReader,
    check_numeric_ip,
    choose_server_ip,
    host_part,
    local_server_argv,
    locale_assignments,
    order_addresses,
    parse_ssh_config,
    remote_command,
    server_args,
    shell_quote,
    ssh_argv,
)

KEY = "vIE4Nm3Rsst6Kqw2FX82yQ"


def test_shell_quote() -> None:
    assert shell_quote(["a b", "it's", ""]) == "'a b' 'it'\\''s' ''"


def test_locale_assignments_keep_mosh_order() -> None:
    env = {"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8", "HOME": "/h"}
    assert locale_assignments(env) == ["LANG=en_US.UTF-8", "LC_ALL=C.UTF-8"]


def test_server_args_like_mosh() -> None:
    opts = WrapperOptions(host="h", port="60001:60010", command=("ls", "-l"))
    args = server_args(opts, 256, {"LANG": "C.UTF-8"})
    assert args == [
        "new",
        "-c",
        "256",
        "-s",
        "-p",
        "60001:60010",
        "-l",
        "LANG=C.UTF-8",
        "--",
        "ls",
        "-l",
    ]


@pytest.mark.parametrize(
    "opts, bind",
    [
        (WrapperOptions(host="h", bind_server="any"), []),
        (WrapperOptions(host="h", bind_server="10.0.0.1"), ["-i", "10.0.0.1"]),
        (WrapperOptions(host="127.0.0.1", local=True), ["-i", "127.0.0.1"]),
    ],
)
def test_bind_arguments(opts: WrapperOptions, bind: list) -> None:
    assert server_args(opts, -1, {}) == ["new", "-c", "0", *bind]


def test_ssh_argv() -> None:
    opts = WrapperOptions(host="me@alias", ssh=("ssh", "-p", "2222"), family="inet6")
    assert ssh_argv(opts, "CMD") == [
        "ssh",
        "-p",
        "2222",
        "-n",
        "-tt",
        "-6",
        "me@alias",
        "--",
        "CMD",
    ]
    opts = WrapperOptions(host="h", ssh_pty=False)
    assert ssh_argv(opts, "CMD") == ["ssh", "-n", "h", "--", "CMD"]


def test_local_server_argv() -> None:
    assert local_server_argv(["/x/moshz"], None, ["new"]) == ["/x/moshz", "--server", "new"]
    argv = local_server_argv(["py"], "mosh-server", ["new", "-c", "8"])
    assert argv == ["/bin/sh", "-c", "mosh-server 'new' '-c' '8'"]


def run_remote(command: str, home: Path, ssh_connection: str = "") -> str:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "SSH_CONNECTION": ssh_connection}
    done = subprocess.run(
        ["/bin/sh", "-c", command], check=False, env=env, capture_output=True, text=True
    )
    return done.stdout


def test_remote_command_finds_moshz_in_home_bin(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "moshz"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\n')
    fake.chmod(0o755)
    out = run_remote(
        remote_command(None, ["new", "-l", "X=it's $HOME"]), tmp_path, "10.0.0.9 5000 10.0.0.1 22"
    )
    assert out.splitlines() == [
        "",
        "MOSH SSH_CONNECTION 10.0.0.9 5000 10.0.0.1 22",
        "[--server]",
        "[new]",
        "[-l]",
        "[X=it's $HOME]",
    ]


def test_remote_command_without_moshz_prints_the_marker(tmp_path: Path) -> None:
    out = run_remote(remote_command(None, ["new"]), tmp_path)
    assert out.splitlines() == [NO_SERVER_MARKER]


def test_remote_command_with_explicit_server(tmp_path: Path) -> None:
    out = run_remote(remote_command("printf '<%s>'", ["new", "a b"]), tmp_path)
    assert out == "<new><a b>"


def test_parse_ssh_config() -> None:
    text = "user me\nhostname real.example.org\nproxycommand none\nport 22\n"
    config = parse_ssh_config(text, "alias")
    assert (config.hostname, config.proxied) == ("real.example.org", False)
    assert parse_ssh_config("proxyjump bastion\n", "h").proxied
    assert parse_ssh_config("", "h").hostname == "h"
    assert host_part("a@b@host") == "host"


def read(*lines: str, port_request: str | None = None) -> tuple[StartupReader, list]:
    reader = StartupReader("host", port_request)
    shown = [reader.feed(line) for line in lines]
    return reader, shown


def test_reader_with_a_pty() -> None:
    reader, shown = read("\r", "motd line\r", f"MOSH CONNECT 60001 {KEY}\r")
    assert reader.done
    assert shown == [None, "motd line\r", None]
    assert reader.result() == Startup(60001, KEY)


def test_reader_collects_addresses() -> None:
    reader, _ = read(
        "MOSH IP 10.1.1.1", "MOSH SSH_CONNECTION 1.1.1.1 22 2.2.2.2 22 ", f"MOSH CONNECT 1 {KEY}"
    )
    assert reader.result() == Startup(1, KEY, "10.1.1.1", "2.2.2.2")


@pytest.mark.parametrize(
    "line",
    [
        "MOSH CONNECT 60001",
        f"MOSH CONNECT x {KEY}",
        f"MOSH CONNECT 0 {KEY}",
        f"MOSH CONNECT 70000 {KEY}",
        f"MOSH CONNECT 60001 {KEY}x",
        "MOSH CONNECT 60001 short",
        "MOSH SSH_CONNECTION 1 2 3",
        "MOSH IP two words",
    ],
)
def test_malformed_lines_are_clear_errors(line: str) -> None:
    with pytest.raises(BootstrapError, match="^Bad MOSH"):
        read(line)


def test_second_mosh_ip_is_an_error() -> None:
    with pytest.raises(BootstrapError, match="redefine MOSH IP"):
        read("MOSH IP 1.1.1.1", "MOSH IP 1.1.1.1")


def test_missing_connect_messages() -> None:
    with pytest.raises(BootstrapError, match="Did not find the server's startup message"):
        read("hello")[0].result()
    with pytest.raises(BootstrapError, match="--server=mosh-server"):
        read(NO_SERVER_MARKER + "\r")[0].result()
    reader, _ = read("mosh-server: Bad UDP port (1:2)", port_request="1:2")
    with pytest.raises(BootstrapError, match="does not support UDP port range"):
        reader.result()


def test_order_addresses() -> None:
    both = [(6, "::1"), (4, "127.0.0.1")]
    assert order_addresses(both, "prefer-inet") == ["127.0.0.1", "::1"]
    assert order_addresses(both, "prefer-inet6") == ["::1", "127.0.0.1"]
    assert order_addresses(both, "inet") == ["127.0.0.1"]
    assert order_addresses(both, "inet6") == ["::1"]
    assert order_addresses(both, "all") == ["::1", "127.0.0.1"]
    assert order_addresses(both[:1], "auto") == ["::1"]
    with pytest.raises(BootstrapError, match="use --family"):
        order_addresses(both, "auto")


def test_choose_server_ip() -> None:
    plain = Startup(1, KEY)
    with_ssh = Startup(1, KEY, ssh_ip="10.0.0.2")
    assert choose_server_ip(Startup(1, KEY, ip="9.9.9.9"), ["1.1.1.1"], False, "h") == "9.9.9.9"
    assert choose_server_ip(with_ssh, ["1.1.1.1"], False, "h") == "1.1.1.1"
    assert choose_server_ip(with_ssh, ["1.1.1.1"], True, "h") == "10.0.0.2"
    assert choose_server_ip(with_ssh, ["1.1.1.1"], None, "h") == "10.0.0.2"
    assert choose_server_ip(plain, ["1.1.1.1"], True, "h") == "1.1.1.1"
    with pytest.raises(BootstrapError, match="remote IP address of h"):
        choose_server_ip(plain, [], None, "h")


def test_check_numeric_ip() -> None:
    assert check_numeric_ip("::1") == "::1"
    with pytest.raises(BootstrapError):
        check_numeric_ip("example.org")
