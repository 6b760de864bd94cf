"""Screen comparison against tmux's own rendering of the same bytes."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.tools.screens import Snapshot, assert_same_screen, differences, play_directly
from tests.tools.tmux import Tmux, tmux_available

COLOURFUL = b"\x1b[H\x1b[2Jplain \x1b[1;31mbold red\x1b[0m\r\n\x1b[44mblue\x1b[0m end"


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A private tmux server for one test (skipped without tmux)."""
    if not tmux_available():
        pytest.skip("tmux not installed")
    server = Tmux()
    yield server
    server.kill()


def test_same_bytes_by_another_route_match(tmux: Tmux) -> None:
    pane = tmux.new_pane(["sh", "-c", "printf '\\033[H\\033[2Jplain \\033[1;31mbold red"
                          "\\033[0m\\n\\033[44mblue\\033[0m end'; exec cat"], 40, 6)  # fmt: skip
    assert_same_screen(pane, COLOURFUL)


def test_a_different_colour_is_reported(tmux: Tmux) -> None:
    pane = play_directly(tmux, COLOURFUL, 40, 6)
    with pytest.raises(AssertionError, match="row 0"):
        assert_same_screen(pane, COLOURFUL.replace(b"31m", b"32m"), timeout=0.3)
    assert_same_screen(pane, COLOURFUL.replace(b"31m", b"32m"), attributes=False)


def test_differences_name_rows_and_cursor() -> None:
    actual = Snapshot(("a", "b"), (1, 1))
    expected = Snapshot(("a", "c"), (0, 0))
    report = differences(actual, expected)
    assert "row 1" in report and "row 0" not in report and "cursor" in report
    assert differences(actual, expected, ignore_rows=[1], check_cursor=False) == ""


def test_notification_bar_hides_the_top_row() -> None:
    barred = Snapshot(("mosh: Last contact 9 seconds ago.", "x"), (0, 1))
    assert differences(barred, Snapshot(("prompt", "x"), (0, 1))) == ""
