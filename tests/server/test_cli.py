"""Tests for ``moshz --server`` as a command (real processes, no client)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.tools.procs import wait_gone
from tests.tools.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]


def moshz_server(
    *args: str, env: dict[str, str] | None = None, output: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command; with ``output``, stdout/stderr go to files there (a -v server keeps
    them open after detaching) and are read back once the foreground process has exited."""
    environ = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    command = [sys.executable, "-m", "moshz", "--server", *args]
    if output is None:
        return subprocess.run(
            command, env=environ, capture_output=True, text=True, timeout=60,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    out, err = output / "stdout", output / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        code = subprocess.call(
            command, env=environ, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, timeout=60
        )
    return subprocess.CompletedProcess(command, code, out.read_text(), err.read_text())


def test_help_and_usage_errors() -> None:
    assert moshz_server("--help").stdout.startswith("Usage: moshz --server new ")
    bad = moshz_server("new", "-x")
    assert bad.returncode == 2 and "invalid option" in bad.stderr and "Usage:" in bad.stderr
    ports = moshz_server("new", "-p", "9:1")
    assert ports.returncode == 1 and "Bad UDP port range (9:1)" in ports.stderr


def test_taken_port_is_a_clear_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 - the server binds the wildcard too
        port = taken.getsockname()[1]
        done = moshz_server("new", "-p", str(port), "--", "true")
    assert done.returncode == 1
    assert f"no UDP port free in {port}..{port}" in done.stderr
    assert "MOSH CONNECT" not in done.stdout


def test_start_detach_and_terminate_without_a_client(tmp_path: Path) -> None:
    environ = {"XDG_RUNTIME_DIR": "/nonexistent"}
    done = moshz_server("new", "-v", "-p", "0", "--", "true", env=environ, output=tmp_path)
    assert done.returncode == 0
    words = done.stdout.split()
    assert words[:2] == ["MOSH", "CONNECT"] and len(words[3]) == 22
    assert "crypto backend" in done.stderr
    assert "using private XDG_RUNTIME_DIR" in done.stderr
    assert words[3] not in done.stderr
    pid = int(done.stderr.rsplit("pid = ", 1)[1].split("]")[0])
    os.kill(pid, signal.SIGTERM)
    wait_gone(pid)
    private = done.stderr.split("using private XDG_RUNTIME_DIR ", 1)[1].split()[0]
    wait_until(lambda: not os.path.exists(private), 20, "the private runtime dir to go")
