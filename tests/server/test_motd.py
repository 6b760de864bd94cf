"""Tests for the login shell's detached-session notice."""

from __future__ import annotations

from moshz.server.motd import detached_notice


def test_no_sessions_no_notice() -> None:
    assert detached_notice([]) == b""


def test_one_and_several_sessions() -> None:
    one = detached_notice(["mosh [12]"])
    assert one.startswith(b"\x1b[37;44m") and one.endswith(b"\x1b[m\n")
    assert b"mosh [12]" in one and one.count(b"\n") == 2
    several = detached_notice(["mosh [1]", "mosh [2]"]).decode()
    assert "2 Mosh sessions" in several
    assert "  - mosh [1]\n  - mosh [2]\n" in several
