"""Canonical rows from `capture-pane -e` output: equal cells, equal strings."""

from __future__ import annotations

from tests.tools.sgr import apply, canonical_rows, render


def state_after(*sequences: str) -> dict:
    """The attribute state after applying SGR parameter strings from the default."""
    state: dict = {}
    for params in sequences:
        apply(state, params)
    return state


def test_attributes_accumulate_and_reset() -> None:
    assert state_after("1", "31", "44") == {"1": "1", "fg": "31", "bg": "44"}
    assert state_after("1;31", "0") == {}
    assert state_after("1;2", "22") == {}
    assert state_after("4", "24", "7", "39") == {"7": "7"}


def test_extended_colours_keep_their_parameters() -> None:
    assert state_after("38;5;208;1") == {"fg": "38;5;208", "1": "1"}
    assert state_after("48;2;10;90;200") == {"bg": "48;2;10;90;200"}
    assert state_after("38:2::1:2:3", "4:3") == {"fg": "38:2::1:2:3", "4": "4:3"}
    assert state_after("4:3", "4:0") == {}


def test_render_orders_attributes() -> None:
    assert render({"bg": "41", "1": "1", "fg": "32"}) == "\x1b[0;1;32;41m"
    assert render({}) == "\x1b[0m"


def test_rows_carry_no_state_from_the_row_before() -> None:
    stateful = "\x1b[31mred\nstill red\x1b[0m plain\n"
    explicit = "\x1b[31mred\x1b[39m\n\x1b[31mstill red\x1b[0m plain\n"
    assert canonical_rows(stateful) == canonical_rows(explicit)
    assert canonical_rows(stateful) == ("\x1b[0;31mred", "\x1b[0;31mstill red\x1b[0m plain")


def test_redundant_sequences_and_trailing_blanks_vanish() -> None:
    noisy = "\x1b[0m\x1b[39m\x1b[49mtext\x1b[41m   \x1b[0m  \n"
    assert canonical_rows(noisy) == ("text",)


def test_different_cells_stay_different() -> None:
    assert canonical_rows("\x1b[1mx\n") != canonical_rows("\x1b[2mx\n")
    assert canonical_rows("a\x1b[7m \x1b[0mb\n") != canonical_rows("a b\n")
