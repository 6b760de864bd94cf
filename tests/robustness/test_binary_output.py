"""Programs that print binary noise or invalid UTF-8: the session goes on, and looks as mosh's does.

The same bytes (100 kB of seeded noise; a file of malformed UTF-8 of every kind) are shown
once by real mosh (mosh-server and mosh-client) and once by moshz (server and client), in
windows of the same size; the screens must agree cell for cell, colours included. A third
session prints fresh /dev/urandom through `moshz --local` and must carry on afterwards.
Malformed UTF-8 typed by the user reaches the program byte for byte.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.client.e2e_support import LOCAL_SHELL, PROMPT_MARK
from tests.robustness.support import around, assert_nothing_left, exit_restored
from tests.tools.account import PROMPT
from tests.tools.bootstrap import start_remote_server
from tests.tools.screens import Snapshot, differences, snapshot
from tests.tools.sshd import SshServer
from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

pytestmark = pytest.mark.e2e

NOISE_SIZE = 100_000
SERVER_ARGS = "new -s -c 256 -l LANG=C.UTF-8"
MALFORMED_UTF8 = [
    b"overlong \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf",
    b"surrogates \xed\xa0\x80 \xed\xbf\xbf",
    b"past U+10FFFF \xf4\x90\x80\x80 \xf7\xbf\xbf\xbf",
    b"five and six bytes \xf8\x88\x80\x80\x80 \xfc\x84\x80\x80\x80\x80",
    b"fe ff \xfe\xff, lone continuations \x80\xbf",
    b"cut short \xe6\x97A \xf0\x9f\x98B \xc3C",
    b"C1 CSI in UTF-8 \xc2\x9b31mred\xc2\x9b0m, NEL \xc2\x85 after",
    b"\xcc\x81 combining at the start of a row",
    b"x" * 66 + "wide at the edge 日本語".encode(),
    b"BOM \xef\xbb\xbf ZWSP \xe2\x80\x8b nonchars \xef\xbf\xbe\xef\xbf\xbf private \xee\x80\x80",
    "emoji 😀 flag 🇯🇵 ZWJ 👨\u200d👩".encode(),
]


# Typed by the user: malformed UTF-8, C1 bytes, ESC, NUL and DEL.
TYPED = b"a\xff\xfeb\xc3(c\xe2\x82d\xf0\x9f\x98e\xc0\xafz\x9b1m\x85q\x1b\x9bx\xed\xa0\x80\x00\x7f"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The files to print, readable by the test user: name -> path."""
    directory = tmp_path_factory.mktemp("output")
    os.chmod(directory, 0o755)
    files = {
        "noise": random.Random(7).getrandbits(8 * NOISE_SIZE).to_bytes(NOISE_SIZE, "big"),
        "malformed-utf8": b"\r\n".join(MALFORMED_UTF8) + b"\r\n",
    }
    paths = {}
    for name, data in files.items():
        path = directory / name
        path.write_bytes(data)
        path.chmod(0o644)
        paths[name] = str(path)
    return paths


def print_then_prompt(pane: Pane, path: str) -> None:
    """Clear the screen, print the file and a marker; wait for the prompt after it."""
    pane.line(f"clear; cat {path}; echo; echo END-$((6*7))")
    pane.wait_for(
        lambda s: s.rstrip().endswith(f"END-42\n{PROMPT_MARK}"), "the marker, then the prompt"
    )


def settled(pane: Pane) -> Snapshot:
    """The screen once two captures in a row agree."""
    previous: list[Snapshot] = []

    def probe() -> Snapshot | None:
        current = snapshot(pane, attributes=True)
        same = previous and previous[-1] == current
        previous.append(current)
        return current if same else None

    return wait_until(probe, 15, "the screen to settle", interval=0.3)


def session(
    tmux: Tmux, ssh_server: SshServer, server: str, client: list[str], record: Path
) -> Pane:
    """A client in an 80x24 pane connected to `server` started over ssh, at its prompt."""
    connect = start_remote_server(ssh_server, f"{server} {SERVER_ARGS}")
    argv = around([*client, "127.0.0.1", str(connect.port)], record)
    pane = tmux.new_pane(argv, env={"MOSH_KEY": connect.key})
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    return pane


def quit_session(pane: Pane, record: Path) -> None:
    """End the session: the shell must still take commands, and the terminal be restored."""
    pane.send_keys("C-u")
    pane.line("exit")
    assert exit_restored(pane, record) == 0, pane.dump()
    assert_nothing_left(pane.tmux)


@pytest.mark.parametrize("name", ["noise", "malformed-utf8"])
def test_moshz_shows_what_mosh_shows(
    tmux: Tmux,
    ssh_server: SshServer,
    moshz_file: str,
    outputs: dict[str, str],
    name: str,
    tmp_path: Path,
) -> None:
    mosh = session(tmux, ssh_server, "mosh-server", ["mosh-client"], tmp_path / "mosh")
    print_then_prompt(mosh, outputs[name])
    expected = settled(mosh)
    quit_session(mosh, tmp_path / "mosh")
    client = [moshz_file, "--client"]
    moshz = session(tmux, ssh_server, f"{moshz_file} --server", client, tmp_path / "moshz")
    print_then_prompt(moshz, outputs[name])
    wait_until(
        lambda: not differences(snapshot(moshz, attributes=True), expected),
        15,
        "moshz to show what mosh showed",
        lambda: differences(snapshot(moshz, attributes=True), expected),
    )
    quit_session(moshz, tmp_path / "moshz")


def test_urandom_in_a_local_session(tmux: Tmux, moshz_file: str, tmp_path: Path) -> None:
    argv = around([moshz_file, "--local", "--", *LOCAL_SHELL], tmp_path / "local")
    pane = tmux.new_pane(argv, env={"PS1": PROMPT})
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    pane.line("head -c 100000 /dev/urandom; echo; echo END-$((6*7))")
    pane.wait_for_row("END-42")
    pane.send_keys("C-u")
    pane.line("echo after-$((6*7))")
    pane.wait_for_row("after-42")
    quit_session(pane, tmp_path / "local")


def test_invalid_utf8_typed_reaches_the_program_intact(
    tmux: Tmux, ssh_server: SshServer, moshz_file: str, tmp_path: Path
) -> None:
    connect = start_remote_server(ssh_server, f"{moshz_file} --server {SERVER_ARGS}")
    argv = around([moshz_file, "--client", "127.0.0.1", str(connect.port)], tmp_path / "keys")
    env = {"MOSH_KEY": connect.key, "MOSH_PREDICTION_DISPLAY": "always"}
    pane = tmux.new_pane(argv, env=env)
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    hex_dump = f"head -c {len(TYPED)} | od -An -tx1 | tr -d ' \\n'"
    pane.line(f"stty raw -echo; {hex_dump}; stty sane; echo")
    pane.wait_for(lambda s: s.rstrip().endswith("stty sane; echo"), "the command to run")
    pane.send_bytes(TYPED)
    pane.wait_for_row(TYPED.hex())
    quit_session(pane, tmp_path / "keys")
