"""moshz.cli: dispatch on argv[0] and the first argument, --version, --help, usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import moshz
from moshz import cli
from moshz.errors import UsageError

REPO = Path(__file__).resolve().parents[1]
VERSION_LINE = f"moshz {moshz.__version__} (wire-compatible with mosh 1.4.0, protocol 2)"


@pytest.fixture
def calls(monkeypatch):
    """Stand-ins for the client and server entry points, recording how they were called."""
    record = []

    def entry(name, result=0):
        def run(args):
            record.append((name, list(args)))
            return result

        return run

    client = types.ModuleType("moshz.client.cli")
    client.client_main = entry("client_main", 3)
    client.wrapper_main = entry("wrapper_main", 4)
    server = types.ModuleType("moshz.server.cli")
    server.main = entry("server_main", 5)
    monkeypatch.setitem(sys.modules, "moshz.client.cli", client)
    monkeypatch.setitem(sys.modules, "moshz.server.cli", server)
    return record


@pytest.mark.parametrize(
    "argv,expected,code",
    [
        (["moshz", "--server", "new", "-p", "60001", "--", "sh"],
         ("server_main", ["new", "-p", "60001", "--", "sh"]), 5),
        (["moshz", "--client", "127.0.0.1", "60001"],
         ("client_main", ["127.0.0.1", "60001"]), 3),
        (["/x/bin/mosh-client", "127.0.0.1", "60001"],
         ("client_main", ["127.0.0.1", "60001"]), 3),
        (["moshz-client", "--server"], ("client_main", ["--server"]), 3),
        (["moshz", "user@host"], ("wrapper_main", ["user@host"]), 4),
        (["moshz", "--local"], ("wrapper_main", ["--local"]), 4),
        (["moshz", "host", "--version"], ("wrapper_main", ["host", "--version"]), 4),
        (["moshz"], ("wrapper_main", []), 4),
    ],
)
def test_dispatch(calls, argv, expected, code):
    assert cli.main(argv) == code
    assert calls == [expected]


def test_version(capsys):
    assert cli.main(["moshz", "--version"]) == 0
    assert capsys.readouterr().out == VERSION_LINE + "\n"


@pytest.mark.parametrize("args", [["-v", "--version"], ["--version", "-v"]])
def test_verbose_version_names_crypto_backend_and_python(capsys, args):
    assert cli.main(["moshz"] + args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == VERSION_LINE
    assert lines[1].startswith(("crypto: native (cryptography ", "crypto: pure ("))
    assert lines[2] == f"python: {sys.version.split()[0]} ({sys.executable})"


def test_help(capsys):
    assert cli.main(["moshz", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: moshz") and "--server new" in out and "MOSHZ_CRYPTO" in out


@pytest.mark.parametrize("first", ["--server=new", "--client=x", "--serverx"])
def test_misused_dispatch_flag_is_a_usage_error(calls, capsys, first):
    assert cli.main(["moshz", first]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"moshz: {first}:") and err[1].startswith("usage: moshz")
    assert calls == []


@pytest.mark.parametrize(
    "argv,module",
    [
        (["moshz", "--server", "new"], "moshz.server.cli"),
        (["moshz", "--client", "1.2.3.4", "1"], "moshz.client.cli"),
        (["moshz", "host"], "moshz.client.cli"),
    ],
)
def test_missing_part_says_not_available(monkeypatch, capsys, argv, module):
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail as if absent
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "not available yet" in err and len(err.splitlines()) == 1


def test_usage_error_from_a_command_is_one_line(monkeypatch, capsys):
    def fail(args):
        raise UsageError("Crypto exception: Key must be 22 letters long.")

    server = types.ModuleType("moshz.server.cli")
    server.main = fail
    monkeypatch.setitem(sys.modules, "moshz.server.cli", server)
    assert cli.main(["moshz", "--server", "new"]) == 2
    assert capsys.readouterr().err == "moshz: Crypto exception: Key must be 22 letters long.\n"


def test_version_and_help_load_neither_crypto_nor_pyte():
    code = (
        "import sys; from moshz.cli import main; main(['moshz', '--version']);"
        "main(['moshz', '--help']);"
        "print(sorted(m for m in sys.modules if m.startswith(('moshz.crypto', 'pyte', 'crypto'))))"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.splitlines()[-1] == "[]"
