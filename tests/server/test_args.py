"""Tests for the mosh-server command line parser."""

from __future__ import annotations

import pytest

from moshz.errors import UsageError
from moshz.server.args import (
    BadArgument,
    ServerConfig,
    ShowText,
    parse_port_range,
    parse_server_args,
    ssh_connection_ip,
    usage_line,
)

SSH = {"SSH_CONNECTION": "10.0.0.1 50000 10.0.0.2 22"}


def parse(*argv: str, environ: dict = SSH) -> ServerConfig:
    result = parse_server_args(list(argv), environ)
    assert isinstance(result, ServerConfig)
    return result


def test_what_the_mosh_wrapper_sends() -> None:
    config = parse("new", "-c", "256", "-s", "-l", "LANG=en_US.UTF-8", "-l", "LC_ALL=C.UTF-8")
    assert config == ServerConfig(
        bind_ip="10.0.0.2",
        colors=256,
        locale_settings=(("LANG", "en_US.UTF-8"), ("LC_ALL", "C.UTF-8")),
    )


def test_defaults_and_legacy_forms() -> None:
    assert parse() == ServerConfig()
    assert parse("new") == ServerConfig()
    assert parse("1.2.3.4") == ServerConfig(bind_ip="1.2.3.4")
    assert parse("1.2.3.4", "7000") == ServerConfig(
        bind_ip="1.2.3.4", port_low=7000, port_high=7000
    )
    with pytest.raises(BadArgument):
        parse("a", "b", "c")


def test_options_without_new_word() -> None:
    assert parse("-p", "0", "-v").port_low == 0


def test_command_after_double_dash() -> None:
    assert parse("new", "-v", "--", "bash", "-c", "echo -h").command == ("bash", "-c", "echo -h")
    assert parse("new", "--").command == ()
    assert parse("new", "--", "--").command == ("--",)


def test_help_and_version_only_before_double_dash() -> None:
    assert parse_server_args(["new", "-v", "--help"], {}) == ShowText(usage_line() + "\n")
    assert isinstance(parse_server_args(["-h"], {}), ShowText)
    version = parse_server_args(["new", "--version"], {})
    assert isinstance(version, ShowText) and "mosh 1.4.0" in version.text
    assert parse("new", "--", "ls", "-h").command == ("ls", "-h")


def test_getopt_clusters_attached_values_and_strays() -> None:
    config = parse("new", "-vv", "-p60010:60020", "stray", "-c", "8", "-@", "new", "-ic")
    assert config == ServerConfig(verbose=2, port_low=60010, port_high=60020, colors=8, bind_ip="c")


def test_last_of_s_and_i_wins() -> None:
    assert parse("new", "-s", "-i", "1.1.1.1").bind_ip == "1.1.1.1"
    assert parse("new", "-i", "1.1.1.1", "-s").bind_ip == "10.0.0.2"


def test_unknown_option_and_missing_value_are_usage_errors() -> None:
    with pytest.raises(UsageError) as info:
        parse("new", "-x")
    assert not isinstance(info.value, BadArgument)
    with pytest.raises(UsageError):
        parse("new", "-p")


def test_bad_colors() -> None:
    with pytest.raises(BadArgument, match=r"Bad number of colors \(lots\)"):
        parse("new", "-c", "lots")


@pytest.mark.parametrize(
    "text, expected",
    [("0", (0, 0)), ("60001", (60001, 60001)), ("1:65535", (1, 65535)), ("5:5", (5, 5))],
)
def test_good_port_ranges(text: str, expected: tuple) -> None:
    assert parse_port_range(text) == expected


@pytest.mark.parametrize("text", ["", "x", "70000", "5:4", "0:10", "1:", "1:2:3", "-1", "1:70000"])
def test_bad_port_ranges(text: str) -> None:
    with pytest.raises(BadArgument, match="Bad UDP port range"):
        parse_port_range(text)


def test_ssh_connection_ip() -> None:
    assert ssh_connection_ip("::ffff:1.2.3.4 1 ::FFFF:10.0.0.9 22") == ("10.0.0.9", "")
    assert ssh_connection_ip("a b ::1 22") == ("::1", "")
    assert ssh_connection_ip(None)[0] is None
    assert "Could not parse" in ssh_connection_ip("a b")[1]


def test_s_warnings_are_collected() -> None:
    config = parse("new", "-s", environ={})
    assert config.bind_ip is None
    assert config.warnings == ("Warning: SSH_CONNECTION not found; binding to any interface.",)


def test_non_locale_settings_are_ignored_with_a_warning() -> None:
    config = parse("new", "-l", "PATH=/evil", "-l", "LANG", "-l", "LC_CTYPE=UTF-8")
    assert config.locale_settings == (("LC_CTYPE", "UTF-8"),)
    assert len(config.warnings) == 2
