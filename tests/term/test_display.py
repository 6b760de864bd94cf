"""The renderer on hand-built frames: mosh's quoted outputs (PROTOCOL.md 9, 10.2) and each step."""

from __future__ import annotations

from typing import Sequence

from moshz.term.display import (
    DEFAULT_CAPABILITIES,
    Capabilities,
    close_sequence,
    new_frame,
    open_sequence,
)
from moshz.term.frame import (
    BLANK_CELL,
    Cell,
    Frame,
    Renditions,
    Row,
    indexed_colour,
    new_generation,
)

ESC = "\x1b"
BLUE_BG = Renditions(bg=indexed_colour(4, background=True))


def text_row(text: str, width: int = 80, wrap: bool = False) -> Row:
    """A row as a program would print it: one cell per character, blank after."""
    cells = tuple(Cell(ch) for ch in text) + (BLANK_CELL,) * (width - len(text))
    return Row(cells, wrap, new_generation())


def cells_row(cells: Sequence[Cell], width: int = 80, wrap: bool = False) -> Row:
    """A row from explicit cells, blank after."""
    return Row(tuple(cells) + (BLANK_CELL,) * (width - len(cells)), wrap, new_generation())


def put_rows(frame: Frame, cursor: tuple[int, int], **rows: Row) -> Frame:
    """``frame`` with some rows replaced (keyword ``r<N>``) and the cursor moved."""
    new_rows = list(frame.rows)
    for name, row in rows.items():
        new_rows[int(name[1:])] = row
    return frame.with_changes(rows=tuple(new_rows), cursor_row=cursor[0], cursor_col=cursor[1])


def render(old: Frame, new: Frame, caps: Capabilities = DEFAULT_CAPABILITIES) -> str:
    return new_frame(True, old, new, caps).decode()


def shell_with_prompt() -> tuple[Frame, Frame]:
    """The blank screen and the first prompt on row 1 (after the release newline)."""
    blank = Frame.blank(80, 24)
    prompt = put_rows(blank, (1, 2), r1=text_row("$ ")).with_changes(bracketed_paste=True)
    return blank, prompt


def test_prompt_after_release_newline() -> None:
    blank, prompt = shell_with_prompt()
    assert render(blank, prompt) == f"{ESC}[?25l\n$ {ESC}[?25h{ESC}[?2004h"


def test_echo_of_a_typed_key_is_just_the_key() -> None:
    _, prompt = shell_with_prompt()
    echoed = put_rows(prompt, (1, 3), r1=text_row("$ e"))
    assert render(prompt, echoed) == "e"


def test_output_after_enter() -> None:
    _, prompt = shell_with_prompt()
    typed = put_rows(prompt, (1, 9), r1=text_row("$ echo hi"))
    ran = put_rows(typed, (3, 2), r2=text_row("hi"), r3=text_row("$ "))
    assert render(typed, ran) == f"{ESC}[?25l\r\nhi\r\n$ {ESC}[?25h"


def test_unchanged_frame_renders_nothing() -> None:
    _, prompt = shell_with_prompt()
    assert new_frame(True, prompt, prompt) == b""
    assert new_frame(True, prompt, prompt.with_changes(rows=tuple(prompt.rows))) == b""


def test_client_initial_full_paint() -> None:
    blank = Frame.blank(80, 24)
    expected = (
        f"{ESC}[?5l{ESC}[r{ESC}[0m{ESC}[H{ESC}[2J{ESC}[?25l"
        + "\n".join([f"{ESC}[K"] * 24)
        + f"{ESC}[1;1H{ESC}[?25h{ESC}[0m{ESC}[?2004l"
        + f"{ESC}[?1003l{ESC}[?1002l{ESC}[?1001l{ESC}[?1000l{ESC}[?1004l"
        + f"{ESC}[?1015l{ESC}[?1006l{ESC}[?1005l"
    )
    assert new_frame(False, blank, blank).decode() == expected


def test_resize_repaints_everything() -> None:
    _, prompt = shell_with_prompt()
    typed = put_rows(prompt, (3, 2), r1=text_row("$ echo hi"), r2=text_row("hi"), r3=text_row("$ "))
    rows = (Row.blank(100),) + tuple(text_row(t, 100) for t in ("$ echo hi", "hi", "$ "))
    big = typed.with_changes(
        width=100, height=30, rows=rows + tuple(Row.blank(100) for _ in range(26))
    )
    expected = (
        f"{ESC}[r{ESC}[0m{ESC}[H{ESC}[2J{ESC}[?25l{ESC}[K\n$ echo hi{ESC}[K\r\nhi{ESC}[K\r\n"
        f"$ {ESC}[K\r\n{ESC}[K" + f"\n{ESC}[K" * 25 + f"{ESC}[4;3H{ESC}[?25h{ESC}[0m{ESC}[?2004h"
        f"{ESC}[?1003l{ESC}[?1002l{ESC}[?1001l{ESC}[?1000l{ESC}[?1004l"
        f"{ESC}[?1015l{ESC}[?1006l{ESC}[?1005l"
    )
    assert render(typed, big) == expected


def test_clear_screen() -> None:
    _, prompt = shell_with_prompt()
    full = prompt.with_changes(
        rows=tuple(text_row(str(n)) for n in range(8, 31)) + (text_row("$ clear"),),
        cursor_row=23,
        cursor_col=7,
    )
    cleared = full.with_changes(
        rows=(text_row("$ "),) + tuple(Row.blank(80) for _ in range(23)), cursor_row=0, cursor_col=2
    )
    expected = f"{ESC}[?25l{ESC}[1;1H$ \r\n{ESC}[K" + f"\n{ESC}[K" * 22 + f"{ESC}[1;3H{ESC}[?25h"
    assert render(full, cleared) == expected


def test_row_wrapping_at_column_80_forces_a_move_before_its_last_cell() -> None:
    _, prompt = shell_with_prompt()
    line = "$ printf '" + "x" * 67  # 77 columns typed so far
    typed = put_rows(prompt, (1, 77), r1=text_row(line))
    wrapped = put_rows(typed, (2, 3), r1=text_row(line + "mtc", wrap=True), r2=text_row("\\e["))
    assert render(typed, wrapped) == f"mt{ESC}[?25l{ESC}[2;80Hc\\e[{ESC}[?25h"


def test_two_line_scroll_at_the_bottom() -> None:
    _, prompt = shell_with_prompt()
    screen = prompt.with_changes(
        rows=tuple(text_row(f"line {n}") for n in range(23)) + (text_row("$ echo x"),),
        cursor_row=23,
        cursor_col=8,
    )
    scrolled = screen.with_changes(
        rows=screen.rows[2:] + (text_row("x"), text_row("$ ")), cursor_row=23, cursor_col=2
    )
    expected = f"{ESC}[0m\r\n\n{ESC}[?25l{ESC}[23;1Hx\r\n$ {ESC}[?25h"
    assert render(screen, scrolled) == expected


def test_scroll_of_a_block_above_the_bottom_uses_a_scrolling_region() -> None:
    screen = Frame.blank(10, 5).with_changes(rows=tuple(text_row(c * 3, 10) for c in "abcde"))
    moved = screen.with_changes(
        rows=(screen.rows[1], screen.rows[2], text_row("new", 10), screen.rows[3], screen.rows[4])
    )
    assert render(screen, moved) == (
        f"{ESC}[0m{ESC}[1;3r{ESC}[?25l{ESC}[3;1H\n{ESC}[r{ESC}[3;1Hnew{ESC}[1;1H{ESC}[?25h"
    )


def test_bell_title_clipboard_and_reverse_video_come_first() -> None:
    _, prompt = shell_with_prompt()
    new = prompt.with_changes(
        bell_count=2,
        window_title="t",
        icon_name="t",
        title_initialized=True,
        clipboard="aGk=",
        reverse_video=True,
    )
    assert render(prompt, new) == f"\x07{ESC}]0;t\x07{ESC}]52;c;aGk=\x07{ESC}[?5h"


def test_icon_name_different_from_title_uses_osc_1_and_2() -> None:
    _, prompt = shell_with_prompt()
    new = prompt.with_changes(window_title="tïtle", icon_name="icon", title_initialized=True)
    assert new_frame(True, prompt, new) == "\x1b]1;icon\x07\x1b]2;tïtle\x07".encode()


def test_titles_need_the_capability_and_an_initialized_title() -> None:
    _, prompt = shell_with_prompt()
    untitled = prompt.with_changes(window_title="t", icon_name="t")
    assert render(prompt, untitled) == ""
    titled = untitled.with_changes(title_initialized=True)
    assert render(prompt, titled, Capabilities(titles=False)) == ""


def test_mode_switches() -> None:
    _, prompt = shell_with_prompt()
    mouse = prompt.with_changes(mouse_reporting=1002, mouse_focus_event=True, mouse_encoding=1006)
    assert render(prompt, mouse) == f"{ESC}[?1002h{ESC}[?1004h{ESC}[?1006h"
    other = mouse.with_changes(mouse_reporting=1000, mouse_encoding=1015)
    assert render(mouse, other) == f"{ESC}[?1002l{ESC}[?1000h{ESC}[?1006l{ESC}[?1015h"
    off = other.with_changes(mouse_reporting=0, mouse_encoding=0, bracketed_paste=False)
    assert render(other, off) == (
        f"{ESC}[?2004l{ESC}[?1003l{ESC}[?1002l{ESC}[?1001l{ESC}[?1000l"
        f"{ESC}[?1015l{ESC}[?1006l{ESC}[?1005l"
    )


def test_current_renditions_and_cursor_visibility_follow_the_cells() -> None:
    _, prompt = shell_with_prompt()
    new = prompt.with_changes(renditions=Renditions(bold=True), cursor_visible=False)
    assert render(prompt, new) == f"{ESC}[?25l{ESC}[0;1m"


def test_blank_runs_inside_a_row() -> None:
    old = Frame.blank(20, 2).with_changes(rows=(text_row("a" * 20, 20), Row.blank(20)))
    short = cells_row([Cell("a")] + [BLANK_CELL] * 3 + [Cell("a")] * 16, 20)
    # the cell after a blank run is written again even though it did not change
    assert render(old, old.with_changes(rows=(short,) + old.rows[1:])) == (
        f"{ESC}[?25l{ESC}[1;2H   a\r{ESC}[?25h"
    )
    longer = old.with_changes(
        rows=(cells_row([Cell("a")] + [BLANK_CELL] * 6 + [Cell("a")] * 13, 20),) + old.rows[1:]
    )
    assert render(old, longer) == f"{ESC}[?25l{ESC}[1;2H{ESC}[6X{ESC}[1;8Ha\r{ESC}[?25h"
    no_ech = render(old, longer, Capabilities(erase_char=False))
    assert no_ech == f"{ESC}[?25l{ESC}[1;2H      a\r{ESC}[?25h"


def test_coloured_blanks_need_bce_to_be_erased() -> None:
    old = Frame.blank(10, 2)
    coloured = cells_row([Cell("", BLUE_BG)] * 10, 10)
    new = old.with_changes(rows=(coloured, old.rows[1]))
    sgr = BLUE_BG.sgr()
    assert render(old, new) == f"{sgr}{ESC}[K{ESC}[0m"
    without_bce = render(old, new, Capabilities(bce=False))
    assert without_bce == sgr + " " * 10 + f"\r\n{ESC}[1;1H{ESC}[0m"


def test_fallback_and_wide_cells() -> None:
    old = Frame.blank(10, 2)
    row = cells_row(
        [Cell("\u0301", fallback=True), Cell("日", wide=True), BLANK_CELL, Cell("x")], 10
    )
    new = old.with_changes(rows=(row, old.rows[1]), cursor_col=4)
    assert new_frame(True, old, new) == "\u00a0\u0301日x".encode()


def test_cursor_moves_use_backspaces_and_cup() -> None:
    _, prompt = shell_with_prompt()
    assert render(prompt, prompt.with_changes(cursor_col=0)) == "\r"
    assert render(prompt, prompt.with_changes(cursor_col=1)) == "\b"
    assert render(prompt, prompt.with_changes(cursor_row=3, cursor_col=0)) == "\r\n\n"
    assert render(prompt, prompt.with_changes(cursor_row=0, cursor_col=9)) == f"{ESC}[1;10H"


def test_cursor_after_the_last_column_of_the_last_row_moves_absolutely() -> None:
    old = Frame.blank(5, 2).with_changes(cursor_row=1, cursor_col=4)
    new = old.with_changes(rows=(old.rows[0], text_row("abcde", 5)), cursor_col=3)
    # mosh would send one backspace here, landing in column 3 instead of 4
    assert render(old, new) == f"{ESC}[?25l\rabcde{ESC}[2;4H{ESC}[?25h"


def test_wrap_flag_change_under_a_wide_last_character_is_redrawn() -> None:
    wide_end = [Cell("a"), Cell("a"), Cell("日", wide=True), BLANK_CELL]
    old = Frame.blank(4, 2).with_changes(rows=(cells_row(wide_end, 4), text_row("b", 4)))
    new = old.with_changes(rows=(cells_row(wide_end, 4, wrap=True), old.rows[1]))
    assert render(old, new) == f"{ESC}[?25l{ESC}[1;3H日b{ESC}[1;1H{ESC}[?25h"


def test_open_and_close_sequences() -> None:
    smcup, rmcup = b"\x1b[?1049h\x1b[22;0;0t", b"\x1b[?1049l\x1b[23;0;0t"
    assert open_sequence(smcup) == b"\x1b[?1049h\x1b[22;0;0t\x1b[?1h"
    assert close_sequence(rmcup) == (
        b"\x1b[?1l\x1b[0m\x1b[?25h\x1b[?1003l\x1b[?1002l\x1b[?1001l\x1b[?1000l"
        b"\x1b[?1015l\x1b[?1006l\x1b[?1005l\x1b[?1049l\x1b[23;0;0t"
    )
    assert open_sequence() == b"\x1b[?1h"


def test_wide_character_cut_by_the_right_margin_is_drawn_as_a_space() -> None:
    old = Frame.blank(3, 2)
    cut = old.with_changes(
        rows=(cells_row([Cell("a"), Cell("b"), Cell("日", wide=True)], 3),) + old.rows[1:]
    )
    # mosh would print the wide character, which wraps it onto the next row
    assert new_frame(True, old, cut) == b"ab \r\n\x1b[1;1H"


def test_one_column_rows_carry_their_wrap_flags() -> None:
    old = Frame.blank(1, 3)
    wrapped = old.with_changes(
        rows=(text_row("a", 1, True), text_row("b", 1, True), text_row("c", 1))
    )
    assert render(old, wrapped) == f"{ESC}[?25l{ESC}[1;1Habc{ESC}[1;1H{ESC}[?25h"
