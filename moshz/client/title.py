"""The window-title overlay: mosh-client shows remote titles as ``[mosh] title`` (PROTOCOL.md 11.4)."""

from __future__ import annotations

from typing import Mapping

from moshz.term.frame import Frame

PREFIX = "[mosh] "


def title_prefix(env: Mapping[str, str]) -> str:
    """The prefix to use: ``[mosh] `` unless MOSH_TITLE_NOPREFIX is set (to anything)."""
    return "" if "MOSH_TITLE_NOPREFIX" in env else PREFIX


def apply_title_prefix(frame: Frame, prefix: str) -> Frame:
    """``frame`` with ``prefix`` before its window title (and icon name, when they are equal)."""
    if not prefix:
        return frame
    icon = frame.icon_name
    if icon == frame.window_title:
        icon = prefix + icon
    return frame.with_changes(window_title=prefix + frame.window_title, icon_name=icon)


_TITLE_TERMS = ("xterm", "rxvt", "kterm", "Eterm", "alacritty", "screen", "tmux")


def title_capable(term: str) -> bool:
    """mosh sets window titles only on terminals named like ones known to support them."""
    return term.startswith(_TITLE_TERMS)
