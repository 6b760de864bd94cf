"""mosh's notification bar: the blue top line that says what the connection is doing.

PROTOCOL.md 11.1. The bar is drawn over row 0 of a frame when there is a
message or when the server has been silent (6.5 s) or has not acknowledged
our input (10 s) for too long. Everything takes ``now`` (ms) as an argument.
"""

from __future__ import annotations

from moshz.term.frame import Cell, Frame, Renditions
from moshz.term.wcwidth import wcwidth

SERVER_LATE_MS = 6500
REPLY_LATE_MS = 10000
TEMPORARY_MS = 1000
NETWORK_ERROR_MS = 3100  # ACK_INTERVAL + 100
NETWORK_ERROR_CLEAR_MS = 1000
SLOW_COUNTUP_AFTER_MS = 60000
_MAX_TEXT = 127  # mosh formats the bar text into a 128-wchar buffer
_MAX_COMBINING = 32

FILLER = Cell(" ", Renditions(fg=37, bg=44))
TEXT_RENDITIONS = Renditions(bold=True, fg=37, bg=44)


def format_elapsed(seconds: int, unit: str) -> str:
    """mosh's durations: ``N seconds``/``N s`` below a minute, then ``M:SS``, then ``H:MM:SS``."""
    if seconds < 60:
        return f"{seconds} {unit}"
    if seconds < 3600:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds // 3600}:{(seconds // 60) % 60:02d}:{seconds % 60:02d}"


class NotificationBar:
    """The bar's state: last contact times and the current message."""

    def __init__(self, now: int, quit_hint: str) -> None:
        self.quit_hint = quit_hint
        self.last_word = now
        self.last_ack = now
        self.message = ""
        self._expires: int | None = None  # None: permanent
        self._network_error = False
        self._show_quit = True

    def server_heard(self, when: int) -> None:
        """The newest server state arrived at ``when``."""
        self.last_word = when

    def server_acked(self, when: int) -> None:
        """The newest local state the server acknowledged was sent at ``when``."""
        self.last_ack = when

    def set_message(
        self, text: str, now: int, permanent: bool = False, show_quit: bool = True
    ) -> None:
        """Show ``text``; a temporary message expires after one second, "" clears."""
        self.message = text
        self._expires = None if permanent else now + TEMPORARY_MS
        self._network_error = False
        self._show_quit = show_quit

    def set_network_error(self, text: str, now: int) -> None:
        """Show a send error for 3.1 s (renewed while sends keep failing)."""
        self.message = text
        self._expires = now + NETWORK_ERROR_MS
        self._network_error = True
        self._show_quit = True

    def clear_network_error(self, now: int) -> None:
        """Sends work again: let a network error message go within a second."""
        if self._network_error and self._expires is not None:
            self._expires = min(self._expires, now + NETWORK_ERROR_CLEAR_MS)

    def server_late(self, now: int) -> bool:
        """Nothing heard from the server for more than 6.5 s."""
        return now - self.last_word > SERVER_LATE_MS

    def reply_late(self, now: int) -> bool:
        """Our newest acknowledged state is more than 10 s old."""
        return now - self.last_ack > REPLY_LATE_MS

    def expire(self, now: int) -> None:
        """Drop the message once its time is up."""
        if self._expires is not None and now >= self._expires:
            self.message = ""

    def text(self, now: int) -> str:
        """The bar's text at ``now`` ("" when no bar is shown)."""
        late = self.server_late(now) or self.reply_late(now)
        if not self.message and not late:
            return ""
        hint = self.quit_hint if self._show_quit else ""
        if not late:
            return f"mosh: {self.message}{hint}"
        explanation, since = "contact", self.last_word
        if self.reply_late(now) and not self.server_late(now):
            explanation, since = "reply", self.last_ack
        seconds = (now - since) // 1000
        if not self.message:
            elapsed = format_elapsed(seconds, "seconds")
            return f"mosh: Last {explanation} {elapsed} ago.{hint}"
        elapsed = format_elapsed(seconds, "s")
        return f"mosh: {self.message} ({elapsed} without {explanation}.){hint}"

    def apply(self, frame: Frame, now: int) -> Frame:
        """``frame`` with the bar drawn over row 0 (unchanged when there is no bar)."""
        self.expire(now)
        text = self.text(now)
        if not text or frame.width <= 0 or frame.height <= 0:
            return frame
        row = frame.rows[0]
        row0 = row._replace(cells=tuple(bar_cells(text[:_MAX_TEXT], frame.width)), wrap=False)
        changes: dict[str, object] = {"rows": (row0,) + frame.rows[1:]}
        if frame.cursor_row == 0:
            changes["cursor_visible"] = False
        return frame.with_changes(**changes)

    def next_redraw(self, now: int) -> int | None:
        """When the bar must be redrawn: message expiry, or the next tick of the counter."""
        deadline = None
        if self.message and self._expires is not None:
            deadline = max(now, self._expires)
        if self.server_late(now) or self.reply_late(now):
            countup = 3000 if now - self.last_word > SLOW_COUNTUP_AFTER_MS else 1000
            deadline = now + countup if deadline is None else min(deadline, now + countup)
        return deadline


def bar_cells(text: str, width: int) -> list[Cell]:
    """Row 0 of the bar: ``text`` in bold white on blue, then blue filler."""
    cells = [FILLER] * width
    col = 0
    last = -1
    for ch in text:
        w = wcwidth(ord(ch))
        if w in (1, 2):
            if col + w > width:
                break
            cells[col] = Cell(ch, TEXT_RENDITIONS, wide=w == 2)
            if w == 2:
                cells[col + 1] = Cell("", FILLER.renditions)
            last = col
            col += w
        elif w == 0 and last >= 0 and len(cells[last].contents) < _MAX_COMBINING:
            cells[last] = cells[last]._replace(contents=cells[last].contents + ch)
    return cells
