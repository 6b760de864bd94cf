"""CSI functions with mosh's semantics (PROTOCOL.md 8.5), keyed as mosh's dispatcher keys them.

A key is the collected intermediates (private markers included) plus the final
character, e.g. ``"H"``, ``"?h"``, ``">c"``, ``"!p"``. Each function gets the
screen and the parameters as ``moshz.term.params.parse_params`` reads them.
"""

from __future__ import annotations

from typing import Callable

from moshz.term.frame import DEFAULT_RENDITIONS
from moshz.term.params import Params, param
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


def cursor_up(screen: Screen, params: Params) -> None:
    """CUU."""
    screen.move_row(-param(params, 0, 1), True)


def cursor_down(screen: Screen, params: Params) -> None:
    """CUD."""
    screen.move_row(param(params, 0, 1), True)


def cursor_forward(screen: Screen, params: Params) -> None:
    """CUF."""
    screen.move_col(param(params, 0, 1), True)


def cursor_back(screen: Screen, params: Params) -> None:
    """CUB."""
    screen.move_col(-param(params, 0, 1), True)


def cursor_position(screen: Screen, params: Params) -> None:
    """CUP / HVP (1-based, origin-aware rows)."""
    screen.move_row(param(params, 0, 1) - 1)
    screen.move_col(param(params, 1, 1) - 1)


def column_absolute(screen: Screen, params: Params) -> None:
    """CHA / HPA."""
    screen.move_col(param(params, 0, 1) - 1)


def row_absolute(screen: Screen, params: Params) -> None:
    """VPA."""
    screen.move_row(param(params, 0, 1) - 1)


def erase_in_display(screen: Screen, params: Params) -> None:
    """ED 0 / 1 / 2."""
    mode, bg = param(params, 0, 0), screen.renditions.bg
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


def erase_in_line(screen: Screen, params: Params) -> None:
    """EL 0 / 1 / 2."""
    mode, bg = param(params, 0, 0), screen.renditions.bg
    if mode == 0:
        screen.grid.erase(screen.cursor_row, screen.cursor_col, screen.width, bg)
    elif mode == 1:
        screen.grid.erase(screen.cursor_row, 0, screen.cursor_col + 1, bg)
    elif mode == 2:
        screen.grid.reset_line(screen.cursor_row, bg)


def erase_chars(screen: Screen, params: Params) -> None:
    """ECH."""
    end = min(screen.cursor_col + param(params, 0, 1), screen.width)
    screen.grid.erase(screen.cursor_row, screen.cursor_col, end, screen.renditions.bg)


def insert_chars(screen: Screen, params: Params) -> None:
    """ICH."""
    n = param(params, 0, 1)
    screen.grid.insert_cells(screen.cursor_row, screen.cursor_col, n, screen.renditions.bg)


def delete_chars(screen: Screen, params: Params) -> None:
    """DCH."""
    n = param(params, 0, 1)
    screen.grid.delete_cells(screen.cursor_row, screen.cursor_col, n, screen.renditions.bg)


def insert_lines(screen: Screen, params: Params) -> None:
    """IL (inside the scrolling region), then column 0."""
    n = param(params, 0, 1)
    screen.grid.insert_lines(screen.cursor_row, n, screen.top, screen.bottom, screen.renditions.bg)
    screen.move_col(0)


def delete_lines(screen: Screen, params: Params) -> None:
    """DL (inside the scrolling region), then column 0."""
    n = param(params, 0, 1)
    screen.grid.delete_lines(screen.cursor_row, n, screen.top, screen.bottom, screen.renditions.bg)
    screen.move_col(0)


def scroll_up(screen: Screen, params: Params) -> None:
    """SU (CSI S)."""
    screen.scroll(param(params, 0, 1))


def scroll_down(screen: Screen, params: Params) -> None:
    """SD (CSI T)."""
    screen.scroll(-param(params, 0, 1))


def tab_forward(screen: Screen, params: Params) -> None:
    """CHT."""
    screen.tab_by(param(params, 0, 1))


def tab_backward(screen: Screen, params: Params) -> None:
    """CBT."""
    screen.tab_by(-param(params, 0, 1))


def clear_tabs(screen: Screen, params: Params) -> None:
    """TBC 0 (at the cursor) / 3 (all, and no more default stops)."""
    mode = param(params, 0, 0)
    if mode == 0:
        screen.tabs[screen.cursor_col] = False
    elif mode == 3:
        screen.default_tabs = False
        screen.tabs = [False] * screen.width


def set_region(screen: Screen, params: Params) -> None:
    """DECSTBM; invalid regions are ignored, valid ones home the cursor."""
    top, bottom = param(params, 0, 1), param(params, 1, screen.height)
    if bottom <= top or top > screen.height:
        return
    screen.set_scrolling_region(top - 1, bottom - 1)
    screen.move_row(0)
    screen.move_col(0)


def set_modes(screen: Screen, params: Params) -> None:
    """SM: only insert mode (4)."""
    _ansi_modes(screen, params, True)


def reset_modes(screen: Screen, params: Params) -> None:
    """RM: only insert mode (4)."""
    _ansi_modes(screen, params, False)


def _ansi_modes(screen: Screen, params: Params, value: bool) -> None:
    for i in range(len(params)):
        if param(params, i, 0) == 4:
            screen.insert_mode = value


def set_private_modes(screen: Screen, params: Params) -> None:
    """DECSET."""
    for i in range(len(params)):
        _private_mode(screen, param(params, i, 0), True)


def reset_private_modes(screen: Screen, params: Params) -> None:
    """DECRST."""
    for i in range(len(params)):
        _private_mode(screen, param(params, i, 0), False)


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


def device_attributes(screen: Screen, params: Params) -> None:
    """DA: a plain VT220."""
    screen.replies.append("\x1b[?62c")


def secondary_device_attributes(screen: Screen, params: Params) -> None:
    """Secondary DA."""
    screen.replies.append("\x1b[>1;10;0c")


def device_status(screen: Screen, params: Params) -> None:
    """DSR 5 (status) and 6 (cursor position, absolute)."""
    mode = param(params, 0, 0)
    if mode == 5:
        screen.replies.append("\x1b[0n")
    elif mode == 6:
        screen.replies.append(f"\x1b[{screen.cursor_row + 1};{screen.cursor_col + 1}R")


def soft_reset(screen: Screen, params: Params) -> None:
    """DECSTR."""
    screen.insert_mode = False
    screen.origin_mode = False
    screen.cursor_visible = True
    screen.application_cursor_keys = False
    screen.set_scrolling_region(0, screen.height - 1)
    screen.renditions = DEFAULT_RENDITIONS
    screen.saved = SavedCursor()


CsiFunction = Callable[[Screen, Params], None]

CSI_FUNCTIONS: dict[str, CsiFunction] = {
    "@": insert_chars,
    "A": cursor_up,
    "B": cursor_down,
    "C": cursor_forward,
    "D": cursor_back,
    "G": column_absolute,
    "`": column_absolute,
    "H": cursor_position,
    "f": cursor_position,
    "I": tab_forward,
    "Z": tab_backward,
    "J": erase_in_display,
    "K": erase_in_line,
    "L": insert_lines,
    "M": delete_lines,
    "P": delete_chars,
    "X": erase_chars,
    "S": scroll_up,
    "T": scroll_down,
    "d": row_absolute,
    "g": clear_tabs,
    "r": set_region,
    "h": set_modes,
    "l": reset_modes,
    "?h": set_private_modes,
    "?l": reset_private_modes,
    "c": device_attributes,
    ">c": secondary_device_attributes,
    "n": device_status,
    "!p": soft_reset,
}

# The CSI functions that leave a pending autowrap alone (all others cancel it; SGR, "m",
# keeps it too but the parser runs it itself, see ``moshz.term.vtparser``).
KEEPS_WRAP = frozenset(["I", "Z", "g", "?h", "?l"])
