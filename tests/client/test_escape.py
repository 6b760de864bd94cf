"""Tests for the escape-key state machine (PROTOCOL.md 11.2)."""

from __future__ import annotations

import pytest

from moshz.client.escape import (
    EscapeConfig,
    EscapeKey,
    HideHelp,
    Keys,
    Quit,
    Repaint,
    ShowHelp,
    Suspend,
    escape_config,
)

DEFAULT = escape_config(None)


def test_default_key_and_texts() -> None:
    assert EscapeConfig(key=0x1E) == DEFAULT
    assert DEFAULT.key_name == "Ctrl-^"
    assert DEFAULT.help_text == 'Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^'
    assert DEFAULT.quit_hint == " [To quit: Ctrl-^ .]"
    assert not DEFAULT.requires_newline


@pytest.mark.parametrize("value", ["\x03", "\x04", "\n", "\x0c", "\r", "ab", "\x80", "é", "\x00"])
def test_rejected_values_fall_back_to_the_default(value: str) -> None:
    assert escape_config(value) == DEFAULT


def test_empty_value_disables_escape() -> None:
    config = escape_config("")
    assert config.key is None and config.quit_hint == ""
    assert EscapeKey(config).feed(b"\x1e.") == [Keys(b"\x1e.")]


def test_control_key() -> None:
    config = escape_config("\x02")
    assert (config.key, chr(config.pass_key), chr(config.pass_key2)) == (2, "B", "b")
    assert config.help_text.endswith('"B" gives literal Ctrl-B')
    assert config.quit_hint == " [To quit: Ctrl-B .]"


def test_printable_key() -> None:
    config = escape_config("~")
    assert config.requires_newline
    assert config.key_name == '"~"'
    assert config.help_text.endswith('"~" gives literal "~"')


def test_quit_sequence_drops_the_rest() -> None:
    keys = EscapeKey(DEFAULT)
    assert keys.feed(b"ab\x1e.cd") == [Keys(b"ab"), ShowHelp(), HideHelp(), Quit()]


def test_sequence_split_across_reads() -> None:
    keys = EscapeKey(DEFAULT)
    assert keys.feed(b"\x1e") == [ShowHelp()]
    assert keys.feed(b"\x1a") == [HideHelp(), Suspend()]
    assert keys.feed(b"x") == [Keys(b"x")]


def test_literal_and_other_bytes() -> None:
    keys = EscapeKey(DEFAULT)
    assert keys.feed(b"\x1e^") == [ShowHelp(), HideHelp(), Keys(b"\x1e")]
    assert keys.feed(b"\x1ex") == [ShowHelp(), HideHelp(), Keys(b"\x1ex")]
    assert keys.feed(b"\x1e\x1e") == [ShowHelp(), HideHelp(), Keys(b"\x1e\x1e")]


def test_lowercase_pass_key_is_accepted() -> None:
    keys = EscapeKey(escape_config("\x02"))
    assert keys.feed(b"\x02b") == [ShowHelp(), HideHelp(), Keys(b"\x02")]


def test_printable_key_counts_only_after_newline() -> None:
    keys = EscapeKey(escape_config("~"))
    assert keys.feed(b"~.") == [Keys(b"~.")]
    assert keys.feed(b"\r~.") == [Keys(b"\r"), ShowHelp(), HideHelp(), Quit()]
    keys = EscapeKey(escape_config("~"))
    assert keys.feed(b"\n~~~") == [Keys(b"\n"), ShowHelp(), HideHelp(), Keys(b"~~")]


def test_escape_resets_the_newline_state() -> None:
    keys = EscapeKey(escape_config("~"))
    assert keys.feed(b"\n~\r~.") == [Keys(b"\n"), ShowHelp(), HideHelp(), Keys(b"~\r~.")]


def test_ctrl_l_requests_a_repaint_and_is_sent() -> None:
    keys = EscapeKey(DEFAULT)
    assert keys.feed(b"a\x0cb") == [Keys(b"a\x0c"), Repaint(), Keys(b"b")]
