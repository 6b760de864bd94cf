"""Tests for the shell's environment and command."""

from __future__ import annotations

from moshz.server.environment import (
    ShellCommand,
    shell_command,
    shell_environment,
    undo_locale_coercion,
)


def test_coercion_undone_from_initial_environment() -> None:
    assert undo_locale_coercion({"LC_CTYPE": "C.UTF-8", "X": "1"}, {"X": "1"}) == {"X": "1"}
    assert undo_locale_coercion({"LC_CTYPE": "C.UTF-8"}, {"LC_CTYPE": "C"}) == {"LC_CTYPE": "C"}
    kept = {"LC_CTYPE": "C.UTF-8", "LANG": "C"}
    assert undo_locale_coercion(kept, dict(kept)) == kept


def test_coercion_heuristic_without_initial_environment() -> None:
    assert undo_locale_coercion({"LC_CTYPE": "C.UTF-8"}, None) == {}
    assert undo_locale_coercion({"LC_CTYPE": "C.UTF-8", "LANG": "C"}, None) == {"LANG": "C"}
    real = {"LC_CTYPE": "C.UTF-8", "LANG": "en_US.UTF-8"}
    assert undo_locale_coercion(real, None) == real
    assert undo_locale_coercion({"LC_CTYPE": "de_DE"}, None) == {"LC_CTYPE": "de_DE"}


def test_shell_environment() -> None:
    environ = {
        "LC_CTYPE": "C.UTF-8",
        "MOSH_KEY": "secret",
        "STY": "1.pts",
        "PATH": "/bin",
        "TERM": "dumb",
    }
    result = shell_environment(environ, {"PATH": "/bin"}, [("LANG", "xx_XX.UTF-8")], 256, "/home/u")
    assert result == {
        "PATH": "/bin",
        "LANG": "xx_XX.UTF-8",
        "TERM": "xterm-256color",
        "NCURSES_NO_UTF8_ACS": "1",
        "HOME": "/home/u",
        "PWD": "/home/u",
    }
    assert shell_environment({}, {}, [], 8, "/")["TERM"] == "xterm"


def test_shell_command() -> None:
    assert shell_command(["vi", "x"], {}, "/bin/bash") == ShellCommand("vi", ("vi", "x"), False)
    assert shell_command([], {"SHELL": "/usr/bin/zsh"}, "/bin/bash") == ShellCommand(
        "/usr/bin/zsh", ("-zsh",), True
    )
    assert shell_command([], {}, "/bin/bash").argv == ("-bash",)
    assert shell_command([], {}, "") == ShellCommand("/bin/sh", ("-sh",), True)
    assert shell_command([], {"SHELL": ""}, "/bin/bash").path == "/bin/sh"
