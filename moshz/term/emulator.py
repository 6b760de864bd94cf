"""The terminal emulator both ends run: host output in, immutable frames out.

The server feeds it the program's pty output (the authoritative screen); the
client feeds it the host bytes a server sends, to rebuild the server's
screen. Semantics are mosh 1.4's (PROTOCOL.md section 8) so that both ends,
and real mosh peers, agree on every cell.
"""

from __future__ import annotations

from moshz.term.frame import Frame
from moshz.term.grid import Grid
from moshz.term.screen import Screen
from moshz.term.vtparser import MoshStream


class Emulator:
    """A terminal of ``width`` x ``height`` cells (each at least 1)."""

    def __init__(self, width: int, height: int) -> None:
        self._screen = Screen(max(1, width), max(1, height))
        self._stream = MoshStream(self._screen)
        self._frame: Frame | None = None

    @classmethod
    def from_frame(cls, frame: Frame) -> Emulator:
        """An emulator showing ``frame``; drawing state not in frames starts at defaults."""
        emulator = cls(frame.width, frame.height)
        screen = emulator._screen
        screen.main = screen.grid = Grid.from_rows(screen.width, frame.rows)
        screen.cursor_row = min(max(frame.cursor_row, 0), screen.height - 1)
        screen.cursor_col = min(max(frame.cursor_col, 0), screen.width - 1)
        screen.combining = (screen.cursor_row, screen.cursor_col)
        screen.cursor_visible = frame.cursor_visible
        screen.renditions = frame.renditions
        screen.reverse_video = frame.reverse_video
        screen.bracketed_paste = frame.bracketed_paste
        screen.mouse_reporting = frame.mouse_reporting
        screen.mouse_focus_event = frame.mouse_focus_event
        screen.mouse_alternate_scroll = frame.mouse_alternate_scroll
        screen.mouse_encoding = frame.mouse_encoding
        screen.application_cursor_keys = frame.application_cursor_keys
        screen.window_title = frame.window_title
        screen.icon_name = frame.icon_name
        screen.title_initialized = frame.title_initialized
        screen.clipboard = frame.clipboard
        screen.bell_count = frame.bell_count
        return emulator

    def feed(self, data: bytes) -> None:
        """Interpret host output; any bytes are accepted, none ever raise."""
        if data:
            self._frame = None
            self._stream.feed(data)

    def resize(self, width: int, height: int) -> None:
        """Change the size as mosh does: no reflow, rows cut or padded (8.7)."""
        self._frame = None
        self._screen.resize(max(1, width), max(1, height))

    def frame(self) -> Frame:
        """An immutable snapshot; unchanged rows are the same objects as last time."""
        if self._frame is None:
            self._frame = self._snapshot()
        return self._frame

    def _snapshot(self) -> Frame:
        s = self._screen
        return Frame(
            s.width,
            s.height,
            s.grid.rows(),
            cursor_row=s.cursor_row,
            cursor_col=s.cursor_col,
            cursor_visible=s.cursor_visible,
            renditions=s.renditions,
            reverse_video=s.reverse_video,
            bracketed_paste=s.bracketed_paste,
            mouse_reporting=s.mouse_reporting,
            mouse_focus_event=s.mouse_focus_event,
            mouse_alternate_scroll=s.mouse_alternate_scroll,
            mouse_encoding=s.mouse_encoding,
            application_cursor_keys=s.application_cursor_keys,
            window_title=s.window_title,
            icon_name=s.icon_name,
            title_initialized=s.title_initialized,
            clipboard=s.clipboard,
            bell_count=s.bell_count,
        )

    def take_replies(self) -> bytes:
        """Answers owed to the program (DA, DSR); the server writes them to the pty."""
        replies = "".join(self._screen.replies).encode("utf-8")
        self._screen.replies.clear()
        return replies

    @property
    def application_cursor_keys(self) -> bool:
        """DEC mode 1, which decides how the server translates arrow keys (8.8)."""
        return self._screen.application_cursor_keys
