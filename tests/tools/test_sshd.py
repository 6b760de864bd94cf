"""The pure parts of the sshd and bootstrap helpers (the e2e harness test covers the rest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools.account import Account
from tests.tools.bootstrap import Connect, parse_connect
from tests.tools.sshd import render_config

ACCOUNT = Account("moshzt", 1001, 1001, Path("/home/moshzt"))


def test_config_is_loopback_key_only_utf8_and_tagged() -> None:
    keys = Path("/home/moshzt/.ssh/k")
    lines = render_config(2222, Path("/tmp/w"), keys, ACCOUNT, "abc").splitlines()
    for wanted in ("Port 2222", "ListenAddress 127.0.0.1", "PasswordAuthentication no",
                   "AuthorizedKeysFile /home/moshzt/.ssh/k", "AllowUsers moshzt",
                   "SetEnv LANG=C.UTF-8 MOSHZ_E2E_TAG=abc", "PidFile /tmp/w/sshd.pid"):  # fmt: skip
        assert wanted in lines


def test_connect_line_is_found_among_other_output() -> None:
    output = "\r\n\nMOSH CONNECT 60001 vIE4Nm3Rsst6Kqw2FX82yQ\r\n\nmosh-server (mosh 1.4.0)\n"
    assert parse_connect(output) == Connect(60001, "vIE4Nm3Rsst6Kqw2FX82yQ")


def test_missing_connect_line_fails_with_the_output() -> None:
    with pytest.raises(AssertionError, match="command not found"):
        parse_connect("bash: mosh-server: command not found\n")
