"""Real mosh-server host bytes, replayed into our emulator, give the screens the sessions show."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from moshz.term.emulator import Emulator
from moshz.term.frame import Frame, Renditions, indexed_colour, rgb_colour

UNICODE_LINE = "h\u00e9llo \u65e5\u672c e\u0301"
VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "vectors")


def _session(name: str) -> dict[str, Any]:
    path = os.path.join(VECTORS, f"mosh_session_{name}.json")
    if not os.path.exists(path):
        pytest.skip(f"{path} missing")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def replay(name: str) -> list[Frame]:
    """Every server state a client reaches, in arrival order, applying diffs to old_num."""
    states = {0: Emulator(80, 24).frame()}
    reached = []
    for datagram in _session(name)["datagrams"]:
        instruction = datagram["decoded"].get("instruction")
        if datagram["dir"] != "s2c" or datagram.get("dropped") or not instruction:
            continue
        emulator = Emulator.from_frame(states[instruction["old_num"]])
        for event in (instruction.get("diff_decoded") or {}).get("HostBuffers.HostMessage", []):
            if "resize" in event:
                emulator.resize(event["resize"]["width"], event["resize"]["height"])
            if "hostbytes" in event:
                emulator.feed(bytes.fromhex(event["hostbytes"]["hex"]))
        states[instruction["new_num"]] = emulator.frame()
        reached.append(emulator.frame())
    return reached


def _text(frame: Frame) -> list[str]:
    return [line.rstrip() for line in frame.lines()]


def _find(frames: list[Frame], line: str) -> Frame:
    return next(frame for frame in frames if line in _text(frame))


def test_basic_echo_and_resize() -> None:
    frames = replay("basic")
    first = frames[1]
    assert _text(first)[:2] == ["", "$"]
    assert (first.cursor_row, first.cursor_col) == (1, 2)
    assert first.bracketed_paste
    after_enter = _find(frames, "hi")
    assert _text(after_enter)[1:4] == ["$ echo hi", "hi", "$"]
    final = frames[-1]
    assert (final.width, final.height) == (100, 30)
    assert _text(final)[:4] == ["", "$ echo hi", "hi", "$"]
    assert (final.cursor_row, final.cursor_col) == (3, 2)


def test_unicode_wide_and_combining_cells() -> None:
    frame = _find(replay("unicode_scroll"), UNICODE_LINE)
    row = frame.rows[_text(frame).index(UNICODE_LINE)]
    assert row.cells[1].contents == "\u00e9"
    assert row.cells[6].contents == "\u65e5" and row.cells[6].wide
    assert row.cells[7].is_blank()
    assert row.cells[8].contents == "\u672c" and row.cells[8].wide
    assert row.cells[11].contents == "e\u0301" and not row.cells[11].fallback


def test_unicode_scroll_final_screen() -> None:
    final = replay("unicode_scroll")[-1]
    lines = _text(final)
    assert lines[:3] == ["20", "21", "22"]
    assert lines[20:] == ["40", "$ echo x", "x", "$"]
    assert (final.cursor_row, final.cursor_col) == (23, 2)


def test_clear_leaves_only_the_prompt() -> None:
    final = replay("clear")[-1]
    assert _text(final) == ["$"] + [""] * 23
    assert (final.cursor_row, final.cursor_col) == (0, 2)


def test_colours_title_bell_and_wrap() -> None:
    frame = _find(replay("fragments_roaming"), "red o tc")
    assert frame.window_title == "moshz-title"
    assert frame.bell_count == 1
    row = frame.rows[_text(frame).index("red o tc")]
    assert row.cells[0].renditions == Renditions(bold=True, fg=indexed_colour(1))
    assert row.cells[4].renditions == Renditions(fg=indexed_colour(208))
    assert row.cells[6].renditions == Renditions(fg=rgb_colour(1, 2, 3))
    wrapped = [i for i, r in enumerate(frame.rows) if r.wrap]
    assert wrapped and _text(frame)[wrapped[0]].startswith("$ printf")


def test_client_tty_session() -> None:
    final = replay("client_tty")[-1]
    assert _text(final)[1:4] == ["$ echo hi", "hi", "$"]
