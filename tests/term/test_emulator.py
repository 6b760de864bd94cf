"""Unit tests of the emulator against mosh's rules (PROTOCOL.md section 8)."""

from __future__ import annotations

from moshz.term.emulator import Emulator
from moshz.term.frame import Frame, Renditions, indexed_colour, rgb_colour


def run(data: bytes, width: int = 10, height: int = 4) -> Emulator:
    emulator = Emulator(width, height)
    emulator.feed(data)
    return emulator


def lines(source: Emulator | Frame) -> list[str]:
    frame = source.frame() if isinstance(source, Emulator) else source
    return [line.rstrip() for line in frame.lines()]


def cursor(emulator: Emulator) -> tuple[int, int]:
    frame = emulator.frame()
    return frame.cursor_row, frame.cursor_col


# Printing, wrapping, wide and combining characters (8.4).


def test_text_and_newlines() -> None:
    emulator = run(b"ab\r\ncd\nx")
    assert lines(emulator) == ["ab", "cd", "  x", ""]
    assert cursor(emulator) == (2, 3)


def test_deferred_wrap_sets_the_row_wrap_flag() -> None:
    emulator = run(b"0123456789")
    frame = emulator.frame()
    assert cursor(emulator) == (0, 9)
    assert not frame.rows[0].wrap
    emulator.feed(b"a")
    frame = emulator.frame()
    assert lines(frame)[:2] == ["0123456789", "a"]
    assert frame.rows[0].wrap
    assert cursor(emulator) == (1, 1)


def test_carriage_return_cancels_the_pending_wrap() -> None:
    emulator = run(b"0123456789\rX")
    assert lines(emulator)[:2] == ["X123456789", ""]
    assert not emulator.frame().rows[0].wrap


def test_sgr_keeps_the_pending_wrap_but_other_functions_clear_it() -> None:
    assert lines(run(b"0123456789\x1b[1mX"))[1] == "X"
    assert lines(run(b"0123456789\x1b[?25lX"))[1] == "X"
    assert lines(run(b"0123456789\x00X"))[0] == "012345678X"
    assert lines(run(b"0123456789\x1b[1CX"))[0] == "012345678X"


def test_autowrap_off_overwrites_the_last_column() -> None:
    emulator = run(b"\x1b[?7l0123456789abc")
    assert lines(emulator)[:2] == ["012345678c", ""]
    assert cursor(emulator) == (0, 9)


def test_scrolling_at_the_bottom() -> None:
    emulator = run(b"1\r\n2\r\n3\r\n4\r\n5", height=3)
    assert lines(emulator) == ["3", "4", "5"]


def test_wide_character_blanks_its_right_half() -> None:
    emulator = run("ab\u65e5c".encode())
    frame = emulator.frame()
    assert frame.cell(0, 2).contents == "\u65e5" and frame.cell(0, 2).wide
    assert frame.cell(0, 3).is_blank()
    assert frame.cell(0, 4).contents == "c"
    assert cursor(emulator) == (0, 5)


def test_wide_character_at_the_last_column_moves_to_the_next_row() -> None:
    emulator = run(b"012345678" + "\u65e5".encode())
    frame = emulator.frame()
    assert frame.cell(0, 9).is_blank()
    assert not frame.rows[0].wrap
    assert frame.cell(1, 0).contents == "\u65e5"
    assert cursor(emulator) == (1, 2)


def test_wide_character_in_a_one_column_window() -> None:
    emulator = run("\u65e5\u672c".encode(), width=1, height=2)
    frame = emulator.frame()
    assert frame.cell(1, 0).contents == "\u672c"
    assert cursor(emulator) == (1, 0)


def test_combining_character_joins_the_previous_cell() -> None:
    frame = run(b"e\xcc\x81x").frame()
    assert frame.cell(0, 0).contents == "e\u0301"
    assert frame.cell(0, 1).contents == "x"


def test_combining_character_after_a_wrap_pending_cell() -> None:
    frame = run(b"0123456789\xcc\x81").frame()
    assert frame.cell(0, 9).contents == "9\u0301"


def test_combining_character_on_an_empty_cell_is_a_fallback() -> None:
    emulator = run(b"\xcc\x81x")
    frame = emulator.frame()
    assert frame.cell(0, 0).contents == "\u0301" and frame.cell(0, 0).fallback
    assert frame.cell(0, 1).contents == "x"


def test_combining_characters_stop_at_32_bytes() -> None:
    frame = run(b"e" + b"\xcc\x81" * 40).frame()
    assert len(frame.cell(0, 0).contents.encode()) == 33


def test_unprintable_characters_are_ignored() -> None:
    assert lines(run(b"a\x7fb"))[0] == "ab"


def test_invalid_utf8_prints_replacement_characters() -> None:
    assert lines(run(b"a\xffb\xe2\x82c"))[0] == "a\ufffdb\ufffdc"
    assert lines(run(b"\x85"))[0] == "\ufffd"


def test_utf8_split_across_feeds() -> None:
    emulator = run(b"\xe6\x97")
    emulator.feed(b"\xa5")
    assert emulator.frame().cell(0, 0).contents == "\u65e5"


def test_insert_mode_shifts_the_line() -> None:
    emulator = run(b"abcdef\r\x1b[4hXY\x1b[4lZ")
    assert lines(emulator)[0] == "XYZbcdef"


# Renditions and background colour erase (8.1, 8.2).


def _sgr(params: bytes, start: bytes = b"") -> Renditions:
    return run(start + b"\x1b[" + params + b"m").frame().renditions


def test_sgr_attributes_and_colours() -> None:
    assert _sgr(b"1;3;4;5;7;8;31;42") == Renditions(
        True, True, True, True, True, True, indexed_colour(1), indexed_colour(2, True)
    )
    assert _sgr(b"22;23;24;25;27;28", b"\x1b[1;3;4;5;7;8m") == Renditions()
    assert _sgr(b"39;49", b"\x1b[31;41m") == Renditions()
    assert _sgr(b"", b"\x1b[1;31m") == Renditions()
    assert _sgr(b"95;101") == Renditions(fg=indexed_colour(13), bg=indexed_colour(9, True))
    assert _sgr(b"2;9;21;53") == Renditions()


def test_sgr_256_and_truecolour() -> None:
    assert _sgr(b"38;5;208;48;5;17") == Renditions(
        fg=indexed_colour(208), bg=indexed_colour(17, True)
    )
    assert _sgr(b"38;5;1") == _sgr(b"31")
    assert _sgr(b"38;2;1;2;3;48;2;4;5;6") == Renditions(
        fg=rgb_colour(1, 2, 3), bg=rgb_colour(4, 5, 6)
    )
    assert _sgr(b"38;5;300") == Renditions()


def test_sgr_lone_38_reads_its_followers_on_their_own() -> None:
    assert _sgr(b"38;5") == Renditions(blink=True)
    assert _sgr(b"38;2;1;2") == Renditions(bold=True)


def test_sgr_with_colon_subparameters_is_ignored() -> None:
    assert _sgr(b"38:5:1", b"\x1b[4m") == Renditions(underlined=True)


def test_printed_cells_take_the_current_renditions() -> None:
    frame = run(b"\x1b[1;32mA\x1b[0mB").frame()
    assert frame.cell(0, 0).renditions == Renditions(bold=True, fg=indexed_colour(2))
    assert frame.cell(0, 1).renditions == Renditions()


def test_erase_uses_the_background_colour_only() -> None:
    frame = run(b"abc\x1b[1;31;44m\x1b[2J").frame()
    for row in frame.rows:
        for cell in row.cells:
            assert cell.is_blank() and cell.renditions == Renditions(bg=indexed_colour(4, True))


def test_erase_in_line_variants() -> None:
    assert lines(run(b"0123456789\x1b[5G\x1b[K"))[0] == "0123"
    assert lines(run(b"0123456789\x1b[5G\x1b[1K"))[0] == "     56789"
    assert lines(run(b"0123456789\x1b[5G\x1b[2K"))[0] == ""


def test_erase_in_display_variants() -> None:
    data = b"aaaa\r\nbbbb\r\ncccc\x1b[2;3H"
    assert lines(run(data + b"\x1b[J")) == ["aaaa", "bb", "", ""]
    assert lines(run(data + b"\x1b[1J")) == ["", "   b", "cccc", ""]
    assert lines(run(data + b"\x1b[2J")) == ["", "", "", ""]


def test_erase_characters() -> None:
    assert lines(run(b"0123456789\x1b[3G\x1b[3X"))[0] == "01   56789"
    assert lines(run(b"0123456789\x1b[9G\x1b[30X"))[0] == "01234567"


def test_insert_and_delete_characters() -> None:
    assert lines(run(b"abcdef\x1b[2G\x1b[2@"))[0] == "a  bcdef"
    assert lines(run(b"abcdef\x1b[2G\x1b[2P"))[0] == "adef"
    assert lines(run(b"0123456789\x1b[1G\x1b[20@"))[0] == ""


def test_cell_edits_clear_the_wrap_flag() -> None:
    wrapped = b"0123456789a\x1b[1;5H"
    assert run(wrapped).frame().rows[0].wrap
    for edit in (b"\x1b[P", b"\x1b[@", b"\x1b[K", b"\x1b[2K", b"abcdef", "\u65e5".encode() * 3):
        assert not run(wrapped + edit).frame().rows[0].wrap
    assert run(wrapped + b"\x1b[1K").frame().rows[0].wrap


# Cursor movement, regions, scrolling (8.5).


def test_cursor_movement_is_clamped() -> None:
    assert cursor(run(b"\x1b[3;4H")) == (2, 3)
    assert cursor(run(b"\x1b[99;99H")) == (3, 9)
    assert cursor(run(b"\x1b[0;0H\x1b[5B\x1b[2A\x1b[4C\x1b[D")) == (1, 3)
    assert cursor(run(b"\x1b[7G\x1b[3d")) == (2, 6)
    assert cursor(run(b"\x1b[2;2f\x08\x08")) == (1, 0)


def test_scrolling_region_confines_line_feeds() -> None:
    emulator = run(b"top\x1b[2;3r\x1b[2;1Ha\r\nb\r\nc\r\nd", height=4)
    assert lines(emulator) == ["top", "c", "d", ""]
    assert cursor(emulator) == (2, 1)


def test_invalid_scrolling_regions_are_ignored() -> None:
    assert cursor(run(b"\x1b[2;2H\x1b[3;3r")) == (1, 1)
    assert cursor(run(b"\x1b[2;2H\x1b[2;3r")) == (0, 0)


def test_origin_mode_moves_relative_to_the_region() -> None:
    emulator = run(b"\x1b[2;3r\x1b[?6h\x1b[1;1HX\x1b[9;1HY")
    assert lines(emulator) == ["", "X", "Y", ""]
    assert emulator.take_replies() == b""
    emulator.feed(b"\x1b[6n")
    assert emulator.take_replies() == b"\x1b[3;2R"


def test_reverse_index_scrolls_down_at_the_top() -> None:
    assert lines(run(b"a\r\nb\x1b[H\x1bMc")) == ["c", "a", "b", ""]
    assert lines(run("a\r\nb\x1b[H\u008dc".encode())) == ["c", "a", "b", ""]


def test_next_line_and_index() -> None:
    assert lines(run(b"ab\x1bEc\x1bDd")) == ["ab", "c", " d", ""]


def test_insert_and_delete_lines_inside_the_region() -> None:
    data = b"1\r\n2\r\n3\r\n4\x1b[2;1H"
    assert lines(run(data + b"\x1b[L")) == ["1", "", "2", "3"]
    assert lines(run(data + b"\x1b[2M")) == ["1", "4", "", ""]
    assert lines(run(data + b"\x1b[1;2r\x1b[4;1H\x1b[L")) == ["1", "2", "3", "4"]
    emulator = run(data + b"\x1b[3G\x1b[L")
    assert cursor(emulator) == (1, 0)


def test_scroll_up_and_down_keep_the_cursor() -> None:
    data = b"1\r\n2\r\n3\r\n4\x1b[2;2H"
    emulator = run(data + b"\x1b[S")
    assert lines(emulator) == ["2", "3", "4", ""]
    assert cursor(emulator) == (1, 1)
    assert lines(run(data + b"\x1b[2T")) == ["", "", "1", "2"]


# Tabs.


def test_default_tabs_and_the_last_column() -> None:
    assert cursor(run(b"\t", width=20)) == (0, 8)
    assert cursor(run(b"\t\t\t", width=20)) == (0, 19)


def test_tab_keeps_the_pending_wrap() -> None:
    assert lines(run(b"0123456789\tX"))[1] == "X"


def test_set_and_clear_tab_stops() -> None:
    assert cursor(run(b"\x1b[4G\x1bH\r\t", width=20)) == (0, 3)
    assert cursor(run(b"\x1b[9G\x1b[g\r\t", width=20)) == (0, 16)
    assert cursor(run(b"\x1b[3g\r\t", width=20)) == (0, 19)
    assert cursor(run("\x1b[4G\u0088\r\t".encode(), width=20)) == (0, 3)


def test_forward_and_backward_tabs() -> None:
    assert cursor(run(b"\x1b[2I", width=30)) == (0, 16)
    assert cursor(run(b"\x1b[30G\x1b[2Z", width=30)) == (0, 16)
    assert cursor(run(b"\x1b[5G\x1b[9Z", width=30)) == (0, 0)


# Save/restore, resets, modes.


def test_save_and_restore_cursor_with_renditions() -> None:
    emulator = run(b"\x1b[2;3H\x1b[1m\x1b7\x1b[H\x1b[0m\x1b8X")
    assert cursor(emulator) == (1, 3)
    assert emulator.frame().cell(1, 2).renditions == Renditions(bold=True)


def test_restore_after_shrinking_is_clamped() -> None:
    emulator = run(b"\x1b[4;9H\x1b7")
    emulator.resize(5, 2)
    emulator.feed(b"\x1b8")
    assert cursor(emulator) == (1, 4)


def test_full_reset_keeps_bell_icon_and_title_flag() -> None:
    emulator = run(b"\x07\x1b]0;t\x07\x1b]52;c;clip\x07\x1b[1;31mabc\x1b[?25l\x1bc")
    frame = emulator.frame()
    assert lines(frame) == ["", "", "", ""]
    assert frame.bell_count == 1 and frame.icon_name == "t" and frame.title_initialized
    assert frame.window_title == "" and frame.clipboard == ""
    assert frame.cursor_visible and frame.renditions == Renditions()


def test_alignment_pattern() -> None:
    frame = run(b"\x1b[44m\x1b#8").frame()
    assert lines(frame) == ["E" * 10] * 4
    assert frame.cell(3, 9).renditions == Renditions(bg=indexed_colour(4, True))


def test_soft_reset() -> None:
    emulator = run(b"\x1b[?25l\x1b[?1h\x1b[4h\x1b[1m\x1b[2;3r\x1b[!p")
    frame = emulator.frame()
    assert frame.cursor_visible and not emulator.application_cursor_keys
    assert frame.renditions == Renditions()
    emulator.feed(b"\x1b[4;1H\nab")
    assert lines(emulator)[3] == "ab"


def test_private_modes() -> None:
    frame = run(b"\x1b[?1;5;25;1004;1007;2004h\x1b[?25l\x1b[?1002h\x1b[?1006h").frame()
    assert frame.application_cursor_keys and frame.reverse_video and not frame.cursor_visible
    assert frame.mouse_focus_event and frame.mouse_alternate_scroll and frame.bracketed_paste
    assert frame.mouse_reporting == 1002 and frame.mouse_encoding == 1006
    frame = run(b"\x1b[?1002h\x1b[?1006h\x1b[?1000l\x1b[?1015l").frame()
    assert frame.mouse_reporting == 0 and frame.mouse_encoding == 0


def test_mode_3_clears_and_homes() -> None:
    emulator = run(b"abc\r\ndef\x1b[?3l")
    assert lines(emulator) == ["", "", "", ""] and cursor(emulator) == (0, 0)


def test_ansi_mode_without_question_mark_is_not_private() -> None:
    assert run(b"\x1b[25l").frame().cursor_visible


def test_alternate_screen_1049_restores_the_main_screen_exactly() -> None:
    emulator = run(b"main\r\nscreen\x1b[2;3H")
    before = emulator.frame()
    emulator.feed(b"\x1b[?1049h")
    assert lines(emulator) == ["", "", "", ""]
    emulator.feed(b"\x1b[Halt\x1b[4;4H")
    assert lines(emulator)[0] == "alt"
    emulator.feed(b"\x1b[?1049l")
    after = emulator.frame()
    assert after == before
    assert all(a is b for a, b in zip(after.rows, before.rows))


def test_alternate_screen_47_keeps_and_1047_clears() -> None:
    emulator = run(b"main\x1b[?47hA\x1b[?47l")
    assert lines(emulator)[0] == "main"
    emulator.feed(b"\x1b[?47h")
    assert lines(emulator)[0] == "    A"
    emulator.feed(b"\x1b[?1047l\x1b[?1047h")
    assert lines(emulator)[0] == ""


def test_resize_while_on_the_alternate_screen() -> None:
    emulator = run(b"main\x1b[?1049h")
    emulator.resize(3, 2)
    emulator.feed(b"\x1b[?1049l")
    assert lines(emulator) == ["mai", ""]


# OSC, bell, replies.


def test_titles() -> None:
    frame = run(b"\x1b]0;both\x07").frame()
    assert (frame.icon_name, frame.window_title, frame.title_initialized) == ("both", "both", True)
    frame = run(b"\x1b]1;icon\x1b\\\x1b]2;title\x07").frame()
    assert (frame.icon_name, frame.window_title) == ("icon", "title")
    assert run(b"\x1b];semi\x07").frame().window_title == "semi"
    assert run("\u009d2;c1\u009c".encode()).frame().window_title == "c1"
    assert run("\x1b]2;\u65e5\u672c\x07".encode()).frame().window_title == "\u65e5\u672c"


def test_title_is_cut_at_index_256() -> None:
    frame = run(b"\x1b]2;" + b"x" * 300 + b"\x07").frame()
    assert frame.window_title == "x" * 254


def test_other_osc_commands_are_ignored() -> None:
    frame = run(b"\x1b]10;x\x07\x1b]4;1;rgb:0/0/0\x07\x1b]52;p;x\x07").frame()
    assert not frame.title_initialized and frame.clipboard == ""


def test_clipboard() -> None:
    assert run(b"\x1b]52;c;aGk=\x07").frame().clipboard == "aGk="


def test_osc_ended_by_cancel_still_applies() -> None:
    frame = run(b"\x1b]2;t\x18x").frame()
    assert frame.window_title == "t" and lines(frame)[0] == "x"


def test_bell_counts_but_not_inside_an_osc() -> None:
    assert run(b"\x07\x07").frame().bell_count == 2
    assert run(b"\x1b]2;t\x07").frame().bell_count == 0


def test_replies() -> None:
    emulator = run(b"\x1b[c\x1b[>c\x1b[5n\x1b[2;3H\x1b[6n\x1b[0c")
    assert emulator.take_replies() == b"\x1b[?62c\x1b[>1;10;0c\x1b[0n\x1b[2;3R\x1b[?62c"
    assert emulator.take_replies() == b""


# Parser details (8.3).


def test_dcs_and_strings_are_swallowed_until_st() -> None:
    assert lines(run(b"\x1bPq#0;1\x07abc\x1b\\x"))[0] == "x"
    assert lines(run(b"\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\y"))[0] == "y"
    assert lines(run("\u0090dcs\u009cz".encode()))[0] == "z"


def test_cancel_aborts_a_sequence() -> None:
    assert lines(run(b"\x1b[3\x18A"))[0] == "A"
    assert cursor(run(b"\x1b[3\x1aB")) == (0, 1)


def test_controls_inside_a_csi_are_executed() -> None:
    emulator = run(b"ab\x1b[\r2C")
    assert cursor(emulator) == (0, 2)


def test_c1_csi_as_utf8() -> None:
    assert cursor(run("\u009b2;4H".encode())) == (1, 3)


def test_huge_and_overlong_parameters() -> None:
    assert cursor(run(b"\x1b[70000B")) == (1, 0)
    assert cursor(run(b"\x1b[" + b"1" * 120 + b"B")) == (1, 0)
    assert cursor(run(b"\x1b[" + b"0" * 97 + b"2;3H")) == (1, 2)
    assert cursor(run(b"\x1b[" + b"0" * 98 + b"2;3H")) == (1, 0)


def test_private_markers_after_parameters_void_the_sequence() -> None:
    assert run(b"\x1b[2?25l").frame().cursor_visible
    assert run(b"\x1b[?2>5l\x1b[?25l").frame().cursor_visible is False


def test_charset_designations_are_ignored() -> None:
    assert lines(run(b"\x1b(0qq\x1b(B"))[0] == "qq"


# Resize (8.7).


def test_resize_cuts_and_pads_without_reflow() -> None:
    emulator = run(b"0123456789abc\x1b[2;3H")
    emulator.resize(4, 2)
    frame = emulator.frame()
    assert lines(frame) == ["0123", "abc"]
    assert not frame.rows[0].wrap
    emulator.resize(6, 3)
    assert lines(emulator) == ["0123", "abc", ""]
    assert cursor(emulator) == (1, 2)


def test_resize_pads_with_the_current_background() -> None:
    emulator = run(b"\x1b[41m")
    emulator.resize(12, 4)
    assert emulator.frame().cell(0, 11).renditions == Renditions(bg=indexed_colour(1, True))


def test_resize_resets_the_region_and_extends_tabs() -> None:
    emulator = run(b"\x1b[2;3r", width=10)
    emulator.resize(30, 4)
    emulator.feed(b"\x1b[4;1Hx\n\ty\t\tz")
    assert lines(emulator)[2:] == ["x", " " * 8 + "y" + " " * 15 + "z"]


def test_same_size_resize_changes_nothing() -> None:
    emulator = run(b"abc")
    before = emulator.frame()
    emulator.resize(10, 4)
    assert emulator.frame() == before
    assert all(a is b for a, b in zip(emulator.frame().rows, before.rows))


# Snapshots.


def test_unchanged_rows_are_the_same_objects() -> None:
    emulator = run(b"abc\r\ndef")
    first = emulator.frame()
    assert emulator.frame() is first
    emulator.feed(b"g")
    second = emulator.frame()
    assert second.rows[0] is first.rows[0]
    assert second.rows[1] is not first.rows[1]
    assert second.rows[2] is first.rows[2]


def test_generations_follow_mosh() -> None:
    emulator = run(b"a\r\nb\r\nc\r\nd")
    first = emulator.frame()
    emulator.feed(b"x\r\n")
    scrolled = emulator.frame()
    assert scrolled.rows[0] is first.rows[1]
    assert scrolled.rows[2].gen == first.rows[3].gen
    assert scrolled.rows[2].cells != first.rows[3].cells
    emulator.feed(b"\x1b[1;1H\x1b[2K")
    assert emulator.frame().rows[0].gen != scrolled.rows[0].gen


def test_a_new_screen_shares_one_generation() -> None:
    rows = Emulator(5, 3).frame().rows
    assert len({row.gen for row in rows}) == 1


def test_from_frame_round_trip() -> None:
    emulator = run(b"\x1b]0;t\x07\x1b[1;33mab\x1b[?2004h\x1b[?1003h\x07\x1b[2;5H\x1b[?25l")
    frame = emulator.frame()
    copy = Emulator.from_frame(frame)
    assert copy.frame() == frame
    assert all(a is b for a, b in zip(copy.frame().rows, frame.rows))
    copy.feed(b"c")
    assert copy.frame().cell(1, 4).renditions == Renditions(bold=True, fg=indexed_colour(3))


def test_tiny_and_huge_windows() -> None:
    tiny = run(b"abc\r\n\x1b[5;5Hxy\x1b[Lz\x1b[?1049h\x1b[99@", width=1, height=1)
    assert (tiny.frame().width, tiny.frame().height) == (1, 1)
    huge = run(b"\x1b[999;999Hx", width=500, height=300)
    assert cursor(huge) == (299, 499)
    assert Emulator(0, -3).frame().width == 1
