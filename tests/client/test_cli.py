"""Tests for the client command lines (the paths that end before a terminal is needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moshz.client import cli

KEY = "vIE4Nm3Rsst6Kqw2FX82yQ"
ROOT = str(Path(__file__).resolve().parents[2])


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MOSH_KEY", "MOSH_PREDICTION_DISPLAY", "MOSH_ESCAPE_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setattr("sys.argv", ["moshz"])


def test_client_options() -> None:
    assert cli._client_options(["-v", "-#", "mosh host |", "1.2.3.4", "60001"]) == (
        ["1.2.3.4", "60001"],
        1,
        False,
    )
    assert cli._client_options(["-#args", "-vv", "--", "-1", "2"]) == (["-1", "2"], 2, False)
    assert cli._client_options(["-c"]) == ([], 0, True)


def test_client_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.client_main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage: moshz --client [-# 'ARGS'] IP PORT" in out and "License GPLv3+" in out
    assert cli.client_main(["--version"]) == 0


def test_client_counts_colours(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.client_main(["-c"]) == 0
    assert capsys.readouterr().out == "256\n"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["-x", "1.2.3.4", "1"], "invalid option -- 'x'"),
        (["1.2.3.4", "12a"], "Bad UDP port (12a)"),
        (["1.2.3.4"], "Usage:"),
        (["-#"], "option requires an argument"),
    ],
)
def test_client_usage_errors(argv: list, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.client_main(argv) == 1
    assert message in capsys.readouterr().err


def test_client_needs_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.client_main(["127.0.0.1", "60001"]) == 1
    assert capsys.readouterr().err == "MOSH_KEY environment variable not found.\n"


def test_client_removes_the_key_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOSH_KEY", KEY)
    monkeypatch.setenv("MOSH_PREDICTION_DISPLAY", "sometimes")
    assert cli.client_main(["127.0.0.1", "60001"]) == 1
    assert capsys.readouterr().err == "Unknown prediction mode sometimes.\n"
    assert "MOSH_KEY" not in cli.os.environ


@pytest.mark.parametrize(
    "key, ip, message",
    [
        ("short", "127.0.0.1", "Key must be 22 letters long"),
        (KEY, "example.org", "is not an IP address"),
    ],
)
def test_client_rejects_bad_keys_and_names(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str,
    ip: str,
    message: str,
) -> None:
    monkeypatch.setenv("MOSH_KEY", key)
    assert cli.client_main([ip, "60001"]) == 1
    assert message in capsys.readouterr().err


def test_client_unknown_terminal() -> None:
    """In a child process: curses reads terminfo only once per process."""
    code = "import sys; from moshz.client.cli import client_main; sys.exit(client_main(['1.2.3.4', '1']))"
    env = {**os.environ, "MOSH_KEY": KEY, "TERM": "no-such-terminal", "PYTHONPATH": ROOT}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert (done.stderr, done.stdout) == ("Error: Unknown terminal type.\n", "[mosh is exiting.]\n")


def test_client_without_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_terminal(fd: int) -> None:
        raise OSError(25, "Inappropriate ioctl for device")

    monkeypatch.setenv("MOSH_KEY", KEY)
    monkeypatch.setattr("moshz.runtime.client.RawTerminal", no_terminal)
    assert cli.client_main(["127.0.0.1", "60001"]) == 1
    assert capsys.readouterr().err == "tcgetattr: Inappropriate ioctl for device\n"


def test_wrapper_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.wrapper_main(["--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("moshz: unknown option --bogus\n") and "Usage: moshz" in err


def test_wrapper_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.wrapper_main(["-4", "--help"]) == 0
    assert capsys.readouterr().out.startswith("Usage: moshz [options]")
    assert cli.wrapper_main(["--version", "host"]) == 0
    assert "moshz " in capsys.readouterr().out


def test_this_program_outside_a_zipapp() -> None:
    program = cli._this_program()
    assert program[1:] == ["-m", "moshz"]
    assert "PYTHONPATH" in cli._module_path_env({})
