"""Tiny and huge windows: 1x1, 2x2 and 500x200, and resizing between them, then back to work.

`moshz --local`, and the moshz client with a real mosh-server, start in a 1x1 window, go
through 2x2, 500x200 and 1x1 again, and end at 80x24, where the shell must know its size and
take commands; a terminal that reports no size at all gets 80x24. On one-row windows the
notification bar (nothing heard from the server; the escape key's help) must look exactly as
mosh-client draws it.
"""

from __future__ import annotations

import contextlib
import os
import pty
import subprocess
from pathlib import Path
from typing import NamedTuple, Sequence

import pytest

from tests.client.e2e_support import LOCAL_SHELL, PROMPT_MARK
from tests.robustness.support import around, assert_nothing_left, exit_restored
from tests.tools import sshd
from tests.tools.account import PROMPT
from tests.tools.bootstrap import start_remote_server
from tests.tools.screens import snapshot
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux, base_environment
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

STEPS = [(2, 2), (500, 200), (1, 1), (2, 2), (80, 24)]
MOSH_SERVER = "mosh-server new -s -c 256 -l LANG=C.UTF-8"
ESCAPE = b"\x1e"
# Shows the pty's size (rows columns) on the top row, again and again.
SIZE_LOOP = "while :; do printf '\\033[H\\033[2Jsize=%s\\n' \"$(stty size)\"; sleep 0.2; done"


def walk_sizes(pane: Pane, record: Path) -> None:
    """Resize through STEPS while a loop shows the pty's size; the program must live through
    each, and the shell follow."""
    pane.line(SIZE_LOOP)  # typed ahead: nothing is readable in a 1x1 window
    for width, height in STEPS:
        pane.resize(width, height)
        if width * height >= 80:
            pane.wait_for(lambda s, w=width, h=height: s.startswith(f"size={h} {w}\n"), "the size")
        assert not pane.is_dead(), pane.dump()
    pane.send_keys("C-c")
    pane.line("echo still-$((6*7))")
    pane.wait_for_row("still-42")
    pane.line("exit")
    assert exit_restored(pane, record) == 0, pane.dump()
    assert_nothing_left(pane.tmux)


def test_local_session_through_tiny_and_huge_windows(
    tmux: Tmux, moshz_file: str, tmp_path: Path
) -> None:
    argv = around([moshz_file, "--local", "--", *LOCAL_SHELL], tmp_path / "local")
    pane = tmux.new_pane(argv, 1, 1, env={"PS1": PROMPT})
    walk_sizes(pane, tmp_path / "local")


def test_moshz_client_with_mosh_server_through_tiny_and_huge_windows(
    tmux: Tmux, ssh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    connect = start_remote_server(ssh_server, MOSH_SERVER)
    argv = around([moshz_file, "--client", "127.0.0.1", str(connect.port)], tmp_path / "client")
    pane = tmux.new_pane(argv, 1, 1, env={"MOSH_KEY": connect.key})
    walk_sizes(pane, tmp_path / "client")


class Client(NamedTuple):
    """A client in a one-row pane, and where its terminal settings are noted."""

    pane: Pane
    record: Path


def one_row_client(
    tmux: Tmux, argv: list[str], width: int, port: int, key: str, record: Path
) -> Client:
    """A client (argv) to 127.0.0.1:port in a pane `width` columns wide and one row high."""
    command = around([*argv, "127.0.0.1", str(port)], record)
    return Client(tmux.new_pane(command, width, 1, env={"MOSH_KEY": key}), record)


def assert_same_bar(moshz: Pane, mosh: Pane, text: str) -> None:
    """Both clients show the same screen (colours and cursor), and it starts with `text`."""

    def same() -> bool:
        theirs = snapshot(mosh, attributes=True)
        return snapshot(moshz, attributes=True) == theirs and text in mosh.rows()[0]

    wait_until(same, 20, "the same bar", lambda: f"{moshz.dump()}\n--- mosh:\n{mosh.dump()}")


def end_all(clients: Sequence[Client], keys: bytes, status: int) -> None:
    """Quit each client with `keys`; each must leave the terminal as it found it."""
    for client in clients:
        client.pane.send_bytes(keys)
    for client in clients:
        assert exit_restored(client.pane, client.record) == status, client.pane.dump()


def test_silent_server_bar_on_one_row(tmux: Tmux, moshz_file: str, tmp_path: Path) -> None:
    port, key = sshd.free_port(), "A" * 22
    started = []
    for width in (40, 1):
        moshz, mosh = (
            one_row_client(tmux, argv, width, port, key, tmp_path / f"{name}{width}")
            for name, argv in (("moshz", [moshz_file, "--client"]), ("mosh", ["mosh-client"]))
        )
        assert_same_bar(moshz.pane, mosh.pane, "mosh: Nothing received from server"[:width])
        started += [moshz, mosh]
    end_all(started, ESCAPE + b".", 1)


def test_escape_key_help_on_one_row(
    tmux: Tmux, ssh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    clients = []
    for name, argv in (("moshz", [moshz_file, "--client"]), ("mosh", ["mosh-client"])):
        connect = start_remote_server(ssh_server, MOSH_SERVER)
        record = tmp_path / name
        clients.append(one_row_client(tmux, argv, 40, connect.port, connect.key, record))
    for client in clients:
        client.pane.wait_for_text(PROMPT_MARK, timeout=30)
        client.pane.send_bytes(ESCAPE)
    assert_same_bar(clients[0].pane, clients[1].pane, "mosh: Commands: Ctrl-Z suspends")
    end_all(clients, b".", 0)


def test_terminal_without_a_size(moshz_file: str) -> None:
    # A new pty reports 0x0 (as some serial consoles and `script` do); mosh-client aborts there.
    master, slave = pty.openpty()
    command = [moshz_file, "--local", "--", "sh", "-c", "echo size=$(stty size)"]
    env = {**base_environment(), "TERM": "xterm-256color"}
    with subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    ) as process:
        os.close(slave)
        output = read_all(master)
        assert process.wait(timeout=30) == 0, output
    assert b"size=24 80" in output and b"Traceback" not in output, output


def read_all(fd: int) -> bytes:
    """Everything written to a pty until its other side is closed."""
    chunks = []
    with contextlib.suppress(OSError):  # EIO: the last writer has gone
        for chunk in iter(lambda: os.read(fd, 65536), b""):
            chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)
