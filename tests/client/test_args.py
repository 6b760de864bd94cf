"""Tests for the moshz wrapper command line."""

from __future__ import annotations

import pytest

from moshz.client.args import WrapperOptions, check_port_request, parse_wrapper_args
from moshz.errors import UsageError


def parse(*argv: str, env: dict = {}) -> WrapperOptions:  # noqa: B006 - never mutated
    return parse_wrapper_args(list(argv), env)


def test_host_and_command() -> None:
    opts = parse("alice@example.org", "ls", "-l")
    assert opts.host == "alice@example.org"
    assert opts.command == ("ls", "-l")
    assert opts.ssh == ("ssh",)
    assert opts.predict == "adaptive"
    assert opts.family == "prefer-inet"
    assert opts.bind_server == "ssh"
    assert opts.term_init and opts.ssh_pty and not opts.local


def test_options_stop_at_the_host() -> None:
    opts = parse("-4", "host", "-6", "--ssh=x")
    assert opts.family == "inet"
    assert opts.command == ("-6", "--ssh=x")


def test_double_dash_ends_options() -> None:
    opts = parse("--", "-weird-host", "cmd")
    assert opts.host == "-weird-host"
    assert opts.command == ("cmd",)


def test_ssh_is_split_like_a_shell() -> None:
    opts = parse("--ssh=ssh -p 1122 -o 'ProxyJump jump host'", "h")
    assert opts.ssh == ("ssh", "-p", "1122", "-o", "ProxyJump jump host")
    assert parse("--ssh", "ssh -4", "h").ssh == ("ssh", "-4")


def test_value_options_with_and_without_equals() -> None:
    opts = parse("--server=mosh-server", "--port", "60001:60010", "-p60005", "h")
    assert opts.server == "mosh-server"
    assert opts.port == "60005"
    assert parse("-p", "0", "h").port == "0"


def test_flags() -> None:
    opts = parse("--no-init", "--no-ssh-pty", "-o", "-vv", "--verbose", "h")
    assert not opts.term_init and not opts.ssh_pty and opts.predict_overwrite
    assert opts.verbose == 3
    assert parse("--no-init", "--init", "h").term_init


def test_combined_short_flags() -> None:
    opts = parse("-6a", "h")
    assert opts.family == "inet6" and opts.predict == "always"
    assert parse("-np", "60001", "h").port == "60001"


def test_predict_modes() -> None:
    assert parse("-a", "h").predict == "always"
    assert parse("-n", "h").predict == "never"
    assert parse("--predict=experimental", "h").predict == "experimental"
    assert parse("h", env={"MOSH_PREDICTION_DISPLAY": "never"}).predict == "never"
    assert parse("-a", "h", env={"MOSH_PREDICTION_DISPLAY": "never"}).predict == "always"


def test_bad_predict_modes_name_their_source() -> None:
    with pytest.raises(UsageError, match='Unknown mode "sometimes".'):
        parse("--predict=sometimes", "h")
    with pytest.raises(UsageError, match=r"\(MOSH_PREDICTION_DISPLAY in environment\)"):
        parse("h", env={"MOSH_PREDICTION_DISPLAY": "bad"})


def test_family_is_checked_and_lowercased() -> None:
    assert parse("--family=PREFER-INET6", "h").family == "prefer-inet6"
    with pytest.raises(UsageError):
        parse("--family=ipx", "h")


def test_bind_server() -> None:
    assert parse("--bind-server=ANY", "h").bind_server == "any"
    assert parse("--bind-server=10.1.2.3", "h").bind_server == "10.1.2.3"
    with pytest.raises(UsageError):
        parse("--bind-server=somewhere", "h")


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus", "h"],
        ["-x", "h"],
        ["--ssh"],
        ["-p"],
        ["--local=yes"],
        [],
        ["-4"],
        ["--ssh=", "h"],
        ["--ssh='unterminated", "h"],
    ],
)
def test_usage_errors(argv: list) -> None:
    with pytest.raises(UsageError):
        parse_wrapper_args(argv, {})


def test_help_and_version_win() -> None:
    assert parse("--help").action == "help"
    assert parse("-4", "--version", "h").action == "version"


def test_local_needs_no_host() -> None:
    opts = parse("--local")
    assert opts.local and opts.host == "127.0.0.1" and opts.command == ()
    opts = parse("--local", "--", "htop", "-d", "5")
    assert opts.command == ("htop", "-d", "5")
    assert parse("--local", "localhost").host == "127.0.0.1"
    opts = parse("--local", "::1", "top")
    assert opts.host == "::1" and opts.command == ("top",)


@pytest.mark.parametrize("good", ["0", "60001", "65535", "1:1", "60000:61000"])
def test_good_port_requests(good: str) -> None:
    assert check_port_request(good) == good


@pytest.mark.parametrize(
    "bad, message",
    [
        ("abc", r"Server-side port or range \(abc\) is not valid."),
        ("1:2:3", "is not valid"),
        ("-1", "is not valid"),
        ("65536", r"\(low\) port \(65536\) must be within valid range \[0..65535\]"),
        ("1:0", r"high port \(0\) must be within valid range \[1..65535\]"),
        ("1:70000", "high port"),
        ("0:10", r"may not be used with starting port 0 \(0:10\)"),
        ("20:10", r"\(20:10\): low port greater than high port"),
    ],
)
def test_bad_port_requests(bad: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        check_port_request(bad)
