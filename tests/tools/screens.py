"""Judge a screen by playing the same bytes straight into tmux and comparing the two captures.

This is how mosh's own emulation tests decide what is right: whatever tmux shows for the bytes
written directly is the reference, so no expected screen is ever typed by hand.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from typing import Iterable

from tests.tools.sgr import ESCAPE, canonical_rows
from tests.tools.tmux import DEFAULT_TIMEOUT, Pane, Tmux
from tests.tools.wait import wait_until

NOTIFICATION_BAR = re.compile(r"^mosh: ")


@dataclass(frozen=True)
class Snapshot:
    """One capture of a pane: its rows (plain text, or canonical SGR + text) and its cursor."""

    rows: tuple[str, ...]
    cursor: tuple[int, int]


def snapshot(pane: Pane, attributes: bool = False) -> Snapshot:
    """Capture a pane's rows and cursor; with `attributes`, rows in `sgr.canonical_rows` form."""
    if attributes:
        rows = canonical_rows(pane.capture(attributes=True))
    else:
        rows = tuple(row.rstrip(" ") for row in pane.rows())
    return Snapshot(rows, pane.cursor())


def plain(row: str) -> str:
    """A captured row without its SGR sequences."""
    return ESCAPE.sub("", row)


def has_notification_bar(snap: Snapshot) -> bool:
    """Say whether the top row is mosh's notification bar (it hides that row of the screen)."""
    return bool(snap.rows) and NOTIFICATION_BAR.match(plain(snap.rows[0])) is not None


def normalise(snap: Snapshot, ignore_rows: Iterable[int] = ()) -> tuple[str, ...]:
    """The rows with the ignored ones blanked."""
    ignored = set(ignore_rows)
    return tuple("" if index in ignored else row for index, row in enumerate(snap.rows))


def differences(
    actual: Snapshot,
    expected: Snapshot,
    ignore_rows: Iterable[int] = (),
    check_cursor: bool = True,
) -> str:
    """A readable report of how two snapshots differ ("" when they agree).

    A notification bar on the actual screen hides its top row, so that row is ignored too.
    """
    ignored = set(ignore_rows) | ({0} if has_notification_bar(actual) else set())
    mine, theirs = normalise(actual, ignored), normalise(expected, ignored)
    lines = [
        f"row {i}:\n  actual   {a!r}\n  expected {e!r}"
        for i, (a, e) in enumerate(zip(mine, theirs))
        if a != e
    ]
    if len(mine) != len(theirs):
        lines.append(f"height: actual {len(mine)}, expected {len(theirs)}")
    if check_cursor and actual.cursor != expected.cursor:
        lines.append(f"cursor: actual {actual.cursor}, expected {expected.cursor}")
    return "\n".join(lines)


def play_directly(tmux: Tmux, data: bytes, width: int, height: int) -> Pane:
    """Write `data` to a new pane of the given size (through a pty, as a program would) and
    return the pane once everything has been written."""
    handle, path = tempfile.mkstemp(prefix="moshz-screen-", suffix=".bin")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        pane = tmux.new_pane(["cat", path], width, height)
        pane.wait_exit()
    finally:
        os.unlink(path)
    return pane


def reference(tmux: Tmux, data: bytes, width: int, height: int, attributes: bool) -> Snapshot:
    """The snapshot tmux itself shows for `data` on a screen of the given size."""
    return snapshot(play_directly(tmux, data, width, height), attributes)


def assert_same_screen(
    pane: Pane,
    data: bytes,
    attributes: bool = True,
    ignore_rows: Iterable[int] = (),
    check_cursor: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> None:
    """Wait until `pane` shows what tmux shows for `data` played directly at the same size.

    Fails after `timeout` seconds with the differences and the screen as it was then.
    """
    width, height = pane.size()
    expected = reference(pane.tmux, data, width, height, attributes)

    def report() -> str:
        return differences(snapshot(pane, attributes), expected, ignore_rows, check_cursor)

    wait_until(lambda: not report(), timeout, "the screen to match the reference",
               lambda: f"{report()}\n{pane.dump()}")  # fmt: skip
