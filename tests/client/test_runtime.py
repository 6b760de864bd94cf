"""Tests for the client's OS helpers: raw mode, charset, terminfo, child processes."""

from __future__ import annotations

import sys
import termios

from moshz.runtime import ssh, terminfo, tty


def test_raw_attributes_are_cfmakeraw_plus_iutf8() -> None:
    cc = [b"\x00"] * termios.NCCS
    cooked = [
        termios.ICRNL | termios.IXON | termios.BRKINT,
        termios.OPOST | termios.ONLCR,
        termios.CS7 | termios.PARENB | termios.CREAD,
        termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN,
        38400,
        38400,
        cc,
    ]
    iflag, oflag, cflag, lflag, ispeed, ospeed, raw_cc = tty.raw_attributes(cooked)
    assert iflag == getattr(termios, "IUTF8", 0o40000)
    assert oflag == termios.ONLCR
    assert cflag == termios.CS8 | termios.CREAD
    assert lflag == 0
    assert (ispeed, ospeed) == (38400, 38400)
    assert raw_cc[termios.VMIN] == 1 and raw_cc[termios.VTIME] == 0
    assert cooked[6] is cc and cc[termios.VMIN] == b"\x00"


def test_native_charset_of_a_utf8_environment() -> None:
    charset = tty.native_charset({"LANG": "C.UTF-8", "PYTHONUTF8": "1"})
    assert charset.is_utf8 or sys.flags.utf8_mode
    assert tty.Charset("ANSI_X3.4-1968").is_utf8 is False


def test_terminfo_facts() -> None:
    info = terminfo.load("xterm-256color")
    assert info.colors == 256 and info.ech and info.bce
    assert info.smcup.startswith(b"\x1b[?1049h")


def test_terminfo_errors() -> None:
    assert terminfo._explain("setupterm: could not find terminal") == "Unknown terminal type."
    assert "database" in terminfo._explain("setupterm: could not find terminfo database")


def test_line_process_merges_output_and_reports_status() -> None:
    child = ssh.LineProcess(["/bin/sh", "-c", "echo one; echo two >&2; printf 'three\\r\\n'"])
    assert list(child.lines()) == ["one", "two", "three\r"]
    assert child.close(stop=True) == 0


def test_command_output() -> None:
    assert ssh.command_output(["/bin/echo", "x"]) == "x\n"
    assert ssh.command_output(["/bin/false"]) is None
    assert ssh.command_output(["/nonexistent/program"]) is None


def test_resolve_numeric_addresses() -> None:
    assert ssh.resolve("127.0.0.1") == [(4, "127.0.0.1")]
    assert ssh.resolve("::1") == [(6, "::1")]
    assert ssh.resolve("host.invalid") == []
