"""Tests for the window-title prefix."""

from __future__ import annotations

from moshz.client.title import PREFIX, apply_title_prefix, title_prefix
from moshz.term.frame import Frame


def test_prefix_choice() -> None:
    assert title_prefix({}) == "[mosh] "
    assert title_prefix({"MOSH_TITLE_NOPREFIX": ""}) == ""


def test_title_and_equal_icon_name_get_the_prefix() -> None:
    frame = Frame.blank(4, 2).with_changes(window_title="vim", icon_name="vim")
    out = apply_title_prefix(frame, PREFIX)
    assert (out.window_title, out.icon_name) == ("[mosh] vim", "[mosh] vim")


def test_a_different_icon_name_is_left_alone() -> None:
    frame = Frame.blank(4, 2).with_changes(window_title="t", icon_name="i")
    out = apply_title_prefix(frame, PREFIX)
    assert (out.window_title, out.icon_name) == ("[mosh] t", "i")


def test_no_prefix_keeps_the_frame() -> None:
    frame = Frame.blank(4, 2)
    assert apply_title_prefix(frame, "") is frame
