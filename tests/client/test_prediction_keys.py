"""The prediction engine's view of typed bytes: mosh's parser actions, one byte at a time."""

from __future__ import annotations

import pytest

from moshz.client.prediction_keys import (
    CSI_DISPATCH,
    ESC_DISPATCH,
    EXECUTE,
    PRINT,
    KeyAction,
    KeyParser,
)


def actions(data: bytes, parser: KeyParser | None = None) -> list[KeyAction]:
    parser = parser or KeyParser()
    return [action for byte in data for action in parser.feed(byte)]


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"a", [(PRINT, 0x61)]),
        (b"\x7f", [(PRINT, 0x7F)]),  # DEL prints in mosh's parser: the engine's backspace
        (b"\r", [(EXECUTE, 0x0D)]),
        (b"\x1bb", [(ESC_DISPATCH, 0x62)]),
        (b"\x1b(B", [(ESC_DISPATCH, 0x42)]),
        (b"\x1b[D", [(CSI_DISPATCH, 0x44)]),
        (b"\x1bOC", [(CSI_DISPATCH, 0x43)]),  # application-mode arrow read as ESC [ C
        (b"\x1b[1;5C", [(CSI_DISPATCH, 0x43)]),
        (b"\x1b[?25h", [(CSI_DISPATCH, 0x68)]),
        (b"\x1b[ q", [(CSI_DISPATCH, 0x71)]),
        (b"\x1b[1:2C", []),  # a colon voids the sequence
        (b"\x1b[1 3C", []),  # so does a parameter after an intermediate
        (b"\x1b[1\rC", [(EXECUTE, 0x0D), (CSI_DISPATCH, 0x43)]),  # C0 acts inside a CSI
        (b"\x1b]0;title\x07x", [(PRINT, 0x78)]),
        (b"\x1b]0;title\x1b\\x", [(ESC_DISPATCH, 0x5C), (PRINT, 0x78)]),
        (b"\x1bPq\r\x1b\\", [(ESC_DISPATCH, 0x5C)]),  # DCS contents are swallowed
        (b"\x1b[1\x18x", [(EXECUTE, 0x18), (PRINT, 0x78)]),  # CAN cancels
        (b"\x1b\x7fb", [(ESC_DISPATCH, 0x62)]),
        ("é".encode(), [(PRINT, 0xE9)]),
        ("中".encode(), [(PRINT, 0x4E2D)]),
        (b"\xff", [(PRINT, 0xFFFD)]),  # invalid UTF-8
        ("\u009b2D".encode(), [(CSI_DISPATCH, 0x44)]),  # C1 CSI
        ("\u0085".encode(), [(EXECUTE, 0x85)]),
        ("\u009dx\u009cy".encode(), [(PRINT, 0x79)]),  # C1 OSC ended by C1 ST
        ("\u0090x\u009cy".encode(), [(PRINT, 0x79)]),  # C1 DCS
        ("\x1b[é".encode(), [(CSI_DISPATCH, 0xE9)]),  # high code points act like "A"
        ("\x1b#é".encode(), [(ESC_DISPATCH, 0xE9)]),
    ],
)
def test_actions(data: bytes, expected: list[tuple[str, int]]) -> None:
    assert actions(data) == [KeyAction(*e) for e in expected]


def test_state_and_utf8_carry_across_reads() -> None:
    parser = KeyParser()
    assert actions(b"\x1b", parser) == []
    assert actions(b"O", parser) == []
    assert actions(b"D", parser) == [KeyAction(CSI_DISPATCH, 0x44)]
    data = "€".encode()
    assert actions(data[:2], parser) == []
    assert actions(data[2:], parser) == [KeyAction(PRINT, 0x20AC)]


def test_o_after_other_bytes_is_an_o() -> None:
    assert actions(b"xO") == [KeyAction(PRINT, 0x78), KeyAction(PRINT, 0x4F)]
