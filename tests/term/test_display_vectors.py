"""The renderer against real mosh: every captured server screen update, byte for byte.

Each session's server states are rebuilt the way a client does (the previous
state's frame, fed the captured hostbytes); the renderer must then produce
exactly the hostbytes mosh-server sent between those two states.
"""

from __future__ import annotations

import json
from typing import Iterator, NamedTuple

import pytest

from moshz.term.display import close_sequence, new_frame, open_sequence
from moshz.term.emulator import Emulator
from moshz.term.frame import Cell, Frame, Renditions, Row
from tests.vectors import VECTORS

SESSIONS = [
    "mosh_session_basic.json",
    "mosh_session_clear.json",
    "mosh_session_fragments_roaming.json",
    "mosh_session_unicode_scroll.json",
    "mosh_session_client_tty.json",
]


class Update(NamedTuple):
    """One captured server diff: the frames before and after, and mosh's bytes."""

    index: int
    old: Frame
    new: Frame
    hostbytes: bytes


def load(name: str) -> dict:
    return json.loads((VECTORS / name).read_text())


def host_events(datagram: dict) -> list[dict]:
    instruction = datagram["decoded"].get("instruction") or {}
    return instruction.get("diff_decoded", {}).get("HostBuffers.HostMessage", [])


def updates(name: str) -> Iterator[Update]:
    """Replay a session's server-to-client diffs, yielding those with hostbytes."""
    states = {0: Emulator(80, 24).frame()}
    for datagram in load(name)["datagrams"]:
        instruction = datagram["decoded"].get("instruction")
        if datagram["dir"] != "s2c" or instruction is None:
            continue
        emulator = Emulator.from_frame(states[instruction["old_num"]])
        hostbytes = None
        for event in host_events(datagram):
            if "resize" in event:
                emulator.resize(event["resize"]["width"], event["resize"]["height"])
            elif "hostbytes" in event:
                hostbytes = bytes.fromhex(event["hostbytes"]["hex"])
                emulator.feed(hostbytes)
        new = states.setdefault(instruction["new_num"], emulator.frame())
        if hostbytes is not None:
            yield Update(datagram["index"], states[instruction["old_num"]], new, hostbytes)


CASES = [(name, update) for name in SESSIONS for update in updates(name)]


@pytest.mark.parametrize(
    ("name", "update"), CASES, ids=[f"{name[13:-5]}-{u.index}" for name, u in CASES]
)
def test_server_hostbytes_match_mosh(name: str, update: Update) -> None:
    assert new_frame(True, update.old, update.new) == update.hostbytes


def client_tty() -> bytes:
    return bytes.fromhex(load("mosh_session_client_tty.json")["client_tty_output_hex"])


def test_client_opens_and_paints_the_blank_window_like_mosh() -> None:
    smcup = b"\x1b[?1049h\x1b[22;0;0t"
    blank = Emulator(80, 24).frame()
    start = open_sequence(smcup) + new_frame(False, blank, blank)
    assert client_tty().startswith(start)


def test_client_closes_like_mosh() -> None:
    rmcup = b"\x1b[?1049l\x1b[23;0;0t"
    assert client_tty().endswith(close_sequence(rmcup) + b"[mosh is exiting.]\r\n")


def test_client_removing_its_bar_scrolls_like_mosh() -> None:
    """mosh's blank rows share one generation, so the bar's removal looks like a scroll."""
    shown = [update.new for update in updates("mosh_session_client_tty.json")][-1]
    bar = Row(tuple(Cell(ch, Renditions(bold=True, fg=37, bg=44)) for ch in "Exiting...".ljust(80)))
    with_bar = shown.with_changes(rows=(bar,) + shown.rows[1:])
    expected = (
        b"\x1b[0m\x1b[1;5r\x1b[?25l\x1b[5;1H\n\n\n\n\x1b[r\x1b[2;1H$ echo hi\r\nhi\r\n$ \x1b[?25h"
    )
    assert new_frame(True, with_bar, shown) == expected
    assert expected + close_sequence() in client_tty()
