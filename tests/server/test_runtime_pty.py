"""Tests for the server's pty child (real processes on a real pty)."""

from __future__ import annotations

import os
import select

from tests.tools.wait import wait_until
from moshz.runtime.pty import ChildSpec, PtyProcess, get_window_size

ENV = {"PATH": os.defpath, "LC_ALL": "C"}


def read_all(process: PtyProcess, until: bytes = b"", limit: float = 10.0) -> bytes:
    out = b""
    while not (until and until in out):
        readable, _, _ = select.select([process.fd], [], [], limit)
        assert readable, "the child produced nothing in time"
        chunk = process.read()
        if chunk == b"":
            return out
        out += chunk or b""
    return out


def exit_code(process: PtyProcess) -> int:
    """The child's exit code, once the kernel has it (the pty's EOF may come first)."""
    wait_until(lambda: process.reap() is not None, 10, "the child to exit")
    return os.WEXITSTATUS(process.exit_status or 0)


def spawn(script: str, **changes: object) -> PtyProcess:
    spec = ChildSpec("sh", ("sh", "-c", script), ENV, "/", 100, 30)
    return PtyProcess.spawn(ChildSpec(**{**spec.__dict__, **changes}))  # type: ignore[arg-type]


def test_child_waits_for_release_then_runs_with_size_and_iutf8() -> None:
    process = spawn("stty size; stty -a | grep -o -- '-\\?iutf8'; pwd; echo $0")
    assert process.reap() is None
    process.release()
    output = read_all(process).replace(b"\r\n", b"\n")
    assert output == b"\n30 100\niutf8\n/\nsh\n"
    process.close()
    assert exit_code(process) == 0


def test_preamble_comes_before_the_release_echo() -> None:
    process = spawn("echo run", preamble=b"motd\n")
    assert read_all(process, until=b"motd\r\n") == b"motd\r\n"
    process.release()
    assert read_all(process) == b"\r\nrun\r\n"
    process.close()


def test_resize_reaches_the_application() -> None:
    process = spawn("read x; stty size")
    process.resize(120, 40)
    assert get_window_size(process.fd) == (120, 40)
    process.release()
    process.write(b"go\n")
    assert read_all(process).endswith(b"40 120\r\n")
    process.close()


def test_sigpipe_is_default_in_the_child() -> None:
    process = spawn("yes | head -n 1; echo done")
    process.release()
    assert read_all(process).replace(b"\r\n", b"\n") == b"\ny\ndone\n"
    process.close()


def test_missing_program_is_reported_on_the_terminal() -> None:
    spec = ChildSpec("/nonexistent/prog", ("prog",), ENV, "/nonexistent", 80, 24)
    process = PtyProcess.spawn(spec)
    process.release()
    output = read_all(process)
    assert b"cannot run /nonexistent/prog" in output
    process.close()
    assert exit_code(process) == 1
