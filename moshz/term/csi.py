"""CSI functions with mosh's semantics (PROTOCOL.md 8.5), keyed as mosh's dispatcher keys them.

A key is the collected intermediates (private markers included) plus the final
character, e.g. ``"H"``, ``"?h"``, ``">c"``, ``"!p"``. Each function gets the
screen and its numbers, read once per parameter text by ``csi_call`` with the
defaults its table entry gives (``param``'s rules), and cached: programs repeat
the same few sequences.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Tuple

from moshz.term.frame import DEFAULT_RENDITIONS
from moshz.term.params import MAX_PARAM_CHARS, param, parse_params
from moshz.term.screen import SavedCursor, Screen

_DEC_FLAGS = {
    1: "application_cursor_keys",
    5: "reverse_video",
    7: "auto_wrap",
    25: "cursor_visible",
    1004: "mouse_focus_event",
    1007: "mouse_alternate_scroll",
    2004: "bracketed_paste",
}
_MOUSE_REPORTING = (9, 1000, 1001, 1002, 1003)
_MOUSE_ENCODING = (1005, 1006, 1015)
_ALTERNATE_SCREEN = (47, 1047, 1049)


def cursor_up(screen: Screen, n: int) -> None:
    """CUU."""
    screen.move_row(-n, True)


def cursor_down(screen: Screen, n: int) -> None:
    """CUD."""
    screen.move_row(n, True)


def cursor_forward(screen: Screen, n: int) -> None:
    """CUF."""
    screen.move_col(n, True)


def cursor_back(screen: Screen, n: int) -> None:
    """CUB."""
    screen.move_col(-n, True)


def cursor_position(screen: Screen, row: int, col: int) -> None:
    """CUP / HVP (1-based, origin-aware rows)."""
    screen.move_row(row - 1)
    screen.move_col(col - 1)


def column_absolute(screen: Screen, n: int) -> None:
    """CHA / HPA."""
    screen.move_col(n - 1)


def row_absolute(screen: Screen, n: int) -> None:
    """VPA."""
    screen.move_row(n - 1)


def erase_in_display(screen: Screen, mode: int) -> None:
    """ED 0 / 1 / 2."""
    bg = screen.renditions.bg
    if mode == 0:
        screen.grid.erase(screen.cursor_row, screen.cursor_col, screen.width, bg)
        rows = range(screen.cursor_row + 1, screen.height)
    elif mode == 1:
        screen.grid.erase(screen.cursor_row, 0, screen.cursor_col + 1, bg)
        rows = range(screen.cursor_row)
    else:
        rows = range(screen.height) if mode == 2 else range(0)
    for y in rows:
        screen.grid.reset_line(y, bg)


def erase_in_line(screen: Screen, mode: int) -> None:
    """EL 0 / 1 / 2."""
    bg = screen.renditions.bg
    if mode == 0:
        screen.grid.erase(screen.cursor_row, screen.cursor_col, screen.width, bg)
    elif mode == 1:
        screen.grid.erase(screen.cursor_row, 0, screen.cursor_col + 1, bg)
    elif mode == 2:
        screen.grid.reset_line(screen.cursor_row, bg)


def erase_chars(screen: Screen, n: int) -> None:
    """ECH."""
    end = min(screen.cursor_col + n, screen.width)
    screen.grid.erase(screen.cursor_row, screen.cursor_col, end, screen.renditions.bg)


def insert_chars(screen: Screen, n: int) -> None:
    """ICH."""
    screen.grid.insert_cells(screen.cursor_row, screen.cursor_col, n, screen.renditions.bg)


def delete_chars(screen: Screen, n: int) -> None:
    """DCH."""
    screen.grid.delete_cells(screen.cursor_row, screen.cursor_col, n, screen.renditions.bg)


def insert_lines(screen: Screen, n: int) -> None:
    """IL (inside the scrolling region), then column 0."""
    screen.grid.insert_lines(screen.cursor_row, n, screen.top, screen.bottom, screen.renditions.bg)
    screen.move_col(0)


def delete_lines(screen: Screen, n: int) -> None:
    """DL (inside the scrolling region), then column 0."""
    screen.grid.delete_lines(screen.cursor_row, n, screen.top, screen.bottom, screen.renditions.bg)
    screen.move_col(0)


def scroll_up(screen: Screen, n: int) -> None:
    """SU (CSI S)."""
    screen.scroll(n)


def scroll_down(screen: Screen, n: int) -> None:
    """SD (CSI T)."""
    screen.scroll(-n)


def tab_forward(screen: Screen, n: int) -> None:
    """CHT."""
    screen.tab_by(n)


def tab_backward(screen: Screen, n: int) -> None:
    """CBT."""
    screen.tab_by(-n)


def clear_tabs(screen: Screen, mode: int) -> None:
    """TBC 0 (at the cursor) / 3 (all, and no more default stops)."""
    if mode == 0:
        screen.tabs[screen.cursor_col] = False
    elif mode == 3:
        screen.default_tabs = False
        screen.tabs = [False] * screen.width


def set_region(screen: Screen, top: int, bottom: int) -> None:
    """DECSTBM (bottom 0: the screen's); invalid regions are ignored, valid ones home the cursor."""
    bottom = bottom or screen.height
    if bottom <= top or top > screen.height:
        return
    screen.set_scrolling_region(top - 1, bottom - 1)
    screen.move_row(0)
    screen.move_col(0)


def set_modes(screen: Screen, *codes: int) -> None:
    """SM: only insert mode (4)."""
    if 4 in codes:
        screen.insert_mode = True


def reset_modes(screen: Screen, *codes: int) -> None:
    """RM: only insert mode (4)."""
    if 4 in codes:
        screen.insert_mode = False


def set_private_modes(screen: Screen, *codes: int) -> None:
    """DECSET."""
    for code in codes:
        _private_mode(screen, code, True)


def reset_private_modes(screen: Screen, *codes: int) -> None:
    """DECRST."""
    for code in codes:
        _private_mode(screen, code, False)


def _private_mode(screen: Screen, code: int, value: bool) -> None:
    if code in _DEC_FLAGS:
        setattr(screen, _DEC_FLAGS[code], value)
    elif code in _MOUSE_REPORTING:
        screen.mouse_reporting = code if value else 0
    elif code in _MOUSE_ENCODING:
        screen.mouse_encoding = code if value else 0
    elif code in _ALTERNATE_SCREEN:
        screen.switch_screen(code, value)
    elif code in (3, 6):
        screen.move_row(0)
        screen.move_col(0)
        if code == 6:
            screen.origin_mode = value
        else:
            for y in range(screen.height):
                screen.grid.reset_line(y, screen.renditions.bg)


def device_attributes(screen: Screen) -> None:
    """DA: a plain VT220."""
    screen.replies.append("\x1b[?62c")


def secondary_device_attributes(screen: Screen) -> None:
    """Secondary DA."""
    screen.replies.append("\x1b[>1;10;0c")


def device_status(screen: Screen, mode: int) -> None:
    """DSR 5 (status) and 6 (cursor position, absolute)."""
    if mode == 5:
        screen.replies.append("\x1b[0n")
    elif mode == 6:
        screen.replies.append(f"\x1b[{screen.cursor_row + 1};{screen.cursor_col + 1}R")


def soft_reset(screen: Screen) -> None:
    """DECSTR."""
    screen.insert_mode = False
    screen.origin_mode = False
    screen.cursor_visible = True
    screen.application_cursor_keys = False
    screen.set_scrolling_region(0, screen.height - 1)
    screen.renditions = DEFAULT_RENDITIONS
    screen.saved = SavedCursor()


CsiFunction = Callable[..., None]  # (screen, *numbers)
Call = Tuple[CsiFunction, Tuple[int, ...]]

_ALL = None  # every parameter, default 0 (mode lists)
CSI_FUNCTIONS: dict[str, tuple[CsiFunction, tuple[int, ...] | None]] = {
    "@": (insert_chars, (1,)),
    "A": (cursor_up, (1,)),
    "B": (cursor_down, (1,)),
    "C": (cursor_forward, (1,)),
    "D": (cursor_back, (1,)),
    "G": (column_absolute, (1,)),
    "`": (column_absolute, (1,)),
    "H": (cursor_position, (1, 1)),
    "f": (cursor_position, (1, 1)),
    "I": (tab_forward, (1,)),
    "Z": (tab_backward, (1,)),
    "J": (erase_in_display, (0,)),
    "K": (erase_in_line, (0,)),
    "L": (insert_lines, (1,)),
    "M": (delete_lines, (1,)),
    "P": (delete_chars, (1,)),
    "X": (erase_chars, (1,)),
    "S": (scroll_up, (1,)),
    "T": (scroll_down, (1,)),
    "d": (row_absolute, (1,)),
    "g": (clear_tabs, (0,)),
    "r": (set_region, (1, 0)),
    "h": (set_modes, _ALL),
    "l": (reset_modes, _ALL),
    "?h": (set_private_modes, _ALL),
    "?l": (reset_private_modes, _ALL),
    "c": (device_attributes, ()),
    ">c": (secondary_device_attributes, ()),
    "n": (device_status, (0,)),
    "!p": (soft_reset, ()),
}
# key -> (function, the defaults of the parameters it takes, in order)


@lru_cache(maxsize=4096)
def csi_call(key: str, text: str) -> Call | None:
    """The function for ``key`` and its numbers read from parameter text ``text``; None if unknown."""
    entry = CSI_FUNCTIONS.get(key)
    if entry is None:
        return None
    function, defaults = entry
    params = parse_params(text[:MAX_PARAM_CHARS])
    if defaults is _ALL:
        return function, tuple(param(params, i, 0) for i in range(len(params)))
    return function, tuple(param(params, i, default) for i, default in enumerate(defaults))


# The CSI functions that leave a pending autowrap alone (all others cancel it; SGR, "m",
# keeps it too but the parser runs it itself, see ``moshz.term.vtparser``).
KEEPS_WRAP = frozenset(["I", "Z", "g", "?h", "?l"])
