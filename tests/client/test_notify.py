"""Tests for the notification bar (PROTOCOL.md 11.1)."""

from __future__ import annotations

import pytest

from moshz.client.notify import FILLER, TEXT_RENDITIONS, NotificationBar, bar_cells, format_elapsed
from moshz.term.display import new_frame
from moshz.term.frame import Cell, Frame

HINT = " [To quit: Ctrl-^ .]"


def bar(now: int = 0) -> NotificationBar:
    return NotificationBar(now, HINT)


@pytest.mark.parametrize(
    "seconds, unit, text",
    [
        (0, "seconds", "0 seconds"),
        (59, "s", "59 s"),
        (60, "s", "1:00"),
        (3599, "s", "59:59"),
        (3600, "s", "1:00:00"),
        (3723, "seconds", "1:02:03"),
    ],
)
def test_format_elapsed(seconds: int, unit: str, text: str) -> None:
    assert format_elapsed(seconds, unit) == text


def test_nothing_to_show_at_first() -> None:
    frame = Frame.blank(20, 3)
    assert bar().apply(frame, 6500) is frame


def test_server_late_after_6_5_seconds() -> None:
    b = bar()
    assert b.text(6500) == ""
    assert b.text(15999) == "mosh: Last contact 15 seconds ago." + HINT


def test_reply_late_only() -> None:
    b = bar()
    b.server_heard(10000)
    assert b.text(10001) == "mosh: Last reply 10 seconds ago." + HINT
    b.server_acked(10001)
    assert b.text(10001) == ""


def test_message_with_and_without_lateness() -> None:
    b = bar()
    b.set_message("Exiting...", 0, permanent=True)
    assert b.text(100) == "mosh: Exiting..." + HINT
    assert b.text(75000) == "mosh: Exiting... (1:15 without contact.)" + HINT


def test_message_without_quit_hint() -> None:
    b = bar()
    b.set_message("Commands: ...", 0, permanent=True, show_quit=False)
    assert b.text(10) == "mosh: Commands: ..."


def test_temporary_message_expires_after_a_second() -> None:
    b = bar()
    b.set_message("Nothing received from server on UDP port 60001.", 300)
    assert b.next_redraw(300) == 1300
    b.expire(1299)
    assert b.message
    b.expire(1300)
    assert b.message == ""


def test_network_error_lasts_3_1_seconds_then_clears_within_one() -> None:
    b = bar()
    b.set_network_error("sendto: Network is unreachable", 0)
    b.expire(3099)
    assert b.message
    b.clear_network_error(100)
    b.expire(1099)
    assert b.message
    b.expire(1100)
    assert b.message == ""


def test_clear_network_error_leaves_other_messages() -> None:
    b = bar()
    b.set_message("Exiting...", 0, permanent=True)
    b.clear_network_error(0)
    b.expire(10**9)
    assert b.message == "Exiting..."


def test_redraw_times_while_late() -> None:
    b = bar()
    assert b.next_redraw(100) is None
    assert b.next_redraw(7000) == 8000
    assert b.next_redraw(61000) == 64000


def test_bar_cells() -> None:
    cells = bar_cells("ab", 4)
    assert cells == [Cell("a", TEXT_RENDITIONS), Cell("b", TEXT_RENDITIONS), FILLER, FILLER]
    assert len(bar_cells("x" * 10, 4)) == 4


def test_bar_cells_wide_and_combining() -> None:
    cells = bar_cells("\u4e2de\u0301\u4e2d", 4)
    assert cells[0] == Cell("\u4e2d", TEXT_RENDITIONS, wide=True)
    assert cells[2] == Cell("e\u0301", TEXT_RENDITIONS)
    assert cells[3] == FILLER  # the second wide character does not fit


def test_apply_draws_row_zero_and_hides_a_cursor_there() -> None:
    b = bar()
    b.set_message("hi", 0, permanent=True)
    frame = Frame.blank(30, 3)
    out = b.apply(frame, 0)
    assert out.rows[0].text().rstrip() == "mosh: hi [To quit: Ctrl-^ .]"
    assert out.rows[1] is frame.rows[1]
    assert not out.cursor_visible
    assert b.apply(frame.with_changes(cursor_row=1), 0).cursor_visible


def test_rendered_bytes_match_real_mosh() -> None:
    """The escape-help bar as real mosh-client painted it (vectors/mosh_session_client_tty)."""
    b = bar()
    b.set_message('Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^', 0, True, False)
    screen = Frame.blank(80, 24).with_changes(cursor_row=3, cursor_col=2)
    painted = new_frame(True, screen, b.apply(screen, 0))
    assert (
        b'\x1b[0;1;37;44mmosh: Commands: Ctrl-Z suspends, "." quits, "^" gives literal Ctrl-^'
        b"\x1b[0;37;44m            " in painted
    )
