"""The prediction engine against server frames made by an emulator, with a fake clock.

``Link`` drives the engine the way the client session does: keys go in with
the frame on screen, the transport's numbering of sent states and the
server's echo ack come in through ``set_network_state``, and every render
culls then overlays. The server's side is an emulator fed what the
application would print.
"""

from __future__ import annotations

import random

import pytest

from moshz.client.prediction import PredictionEngine
from moshz.term.display import new_frame
from moshz.term.emulator import Emulator
from moshz.term.frame import Frame

LEFT, RIGHT = b"\x1b[D", b"\x1b[C"
APP_LEFT, APP_RIGHT = b"\x1bOD", b"\x1bOC"
DEL = b"\x7f"


class Link:
    """A prediction engine and the server-side emulator whose frames it is judged against."""

    def __init__(
        self,
        mode: str = "always",
        send_interval: int = 100,
        width: int = 20,
        height: int = 4,
        overwrite: bool = False,
    ) -> None:
        self.engine = PredictionEngine(mode, overwrite)
        self.server = Emulator(width, height)
        self.send_interval = send_interval
        self.sent = 0
        self.echo_ack = 0
        self.now = 1000
        self.shown = self.render()

    def sync(self) -> None:
        self.engine.set_network_state(
            send_interval=self.send_interval,
            frame_sent=self.sent,
            frame_acked=self.echo_ack,
            echo_ack=self.echo_ack,
        )

    def render(self) -> Frame:
        """What the client paints now: cull against the server's frame, then overlay."""
        self.sync()
        frame = self.server.frame()
        self.engine.cull(frame, self.now)
        self.shown = self.engine.apply(frame)
        return self.shown

    def type(self, data: bytes) -> Frame:
        """The user types ``data`` (one read); it leaves in the next state."""
        self.sync()
        self.engine.new_user_bytes(data, self.shown, self.now)
        self.sent += 1
        self.now += 10
        return self.render()

    def echo(self, output: bytes = b"", wait: int = 60, upto: int | None = None) -> Frame:
        """The application printed ``output``; the echo ack covers state ``upto`` (default: all)."""
        self.server.feed(output)
        self.echo_ack = self.sent if upto is None else upto
        self.now += wait
        return self.render()

    def text(self, row: int = 0) -> str:
        return self.shown.rows[row].text().rstrip()

    def cursor(self) -> tuple[int, int]:
        return self.shown.cursor_row, self.shown.cursor_col

    def settled(self) -> bool:
        """The screen shows exactly the server's frame."""
        return self.shown == self.server.frame()


def primed(mode: str = "always", **kwargs: int) -> Link:
    """A shell prompt where one typed key was echoed, so the epoch is confirmed."""
    link = Link(mode, **kwargs)
    link.echo(b"$ ")
    link.type(b"e")
    link.echo(b"e")
    return link


def vi_line(text: str, col: int, mode_line: str = "") -> bytes:
    """What an editor prints to show ``text`` on row 0 with the cursor at ``col``."""
    status = f"\x1b[4;1H{mode_line}\x1b[K"
    return f"\x1b[1;1H{text}\x1b[K{status}\x1b[1;{col + 1}H".encode()


# -- typing -------------------------------------------------------------------


def test_first_key_waits_for_confirmation_then_typing_shows_at_once() -> None:
    link = Link()
    link.echo(b"$ ")
    link.type(b"e")
    assert link.text() == "$" and link.cursor() == (0, 2)  # epoch 1 is not confirmed yet
    link.echo(b"e")
    assert link.text() == "$ e"
    link.type(b"ch")
    assert link.text() == "$ ech" and link.cursor() == (0, 5)
    link.echo(b"ch")
    assert link.settled() and link.shown is link.server.frame()


def test_predictions_are_judged_only_after_the_echo_ack() -> None:
    link = primed()
    link.type(b"o")
    link.server.feed(b"X")  # the application printed something else, not yet acked
    assert link.render().rows[0].text().startswith("$ eo")
    link.echo()
    assert link.settled() and link.text() == "$ eX"


def test_a_wrong_confirmed_prediction_resets_everything() -> None:
    link = primed()
    link.type(b"ab")
    link.echo(b"Zb")
    assert link.settled()
    link.type(b"c")  # a new epoch after the reset: hidden until confirmed
    assert link.settled()
    link.echo(b"c")
    link.type(b"d")
    assert link.text() == "$ eZbcd"


def test_retyping_over_an_unconfirmed_prediction_earns_no_credit() -> None:
    link = Link(overwrite=True)
    link.echo(b"$ ")
    link.type(b"a" + LEFT + b"a")  # the second "a" lands where the first was predicted
    link.echo(b"a")
    link.type(b"b")
    assert link.settled()  # so the epoch is still unconfirmed
    link.echo(b"b")
    link.type(b"c")
    assert link.text() == "$ abc"


def test_typed_characters_look_like_their_left_neighbour() -> None:
    link = Link(send_interval=40)
    link.echo(b"\x1b[1;31m$ ")
    link.type(b"a")
    link.echo(b"a")
    link.type(b"b")
    assert link.shown.cell(0, 3).renditions == link.server.frame().cell(0, 2).renditions


def test_a_confirmation_passes_the_real_renditions_to_the_rest_of_the_row() -> None:
    link = primed(send_interval=40)
    link.type(b"a")
    link.type(b"b")
    link.echo(b"\x1b[32ma", upto=link.sent - 1)  # the application colours what we typed
    assert link.shown.cell(0, 4).contents == "b"
    assert link.shown.cell(0, 4).renditions.fg == 32


def test_insertion_shifts_the_rest_of_the_line() -> None:
    link = primed()
    link.type(b"ac" + LEFT + b"b")
    assert link.text() == "$ eabc" and link.cursor() == (0, 5)


def test_overwrite_mode_replaces_only_the_cursor_cell() -> None:
    link = primed(overwrite=True)
    link.type(b"ac" + LEFT + b"b")
    assert link.text() == "$ eab" and link.cursor() == (0, 5)


# -- Enter, passwords, full-screen programs -------------------------------------


def test_enter_starts_a_tentative_epoch() -> None:
    link = primed()
    link.type(b"\r")
    link.echo(b"\r\n$ ")
    link.type(b"l")
    assert link.settled()  # nothing new shows until the server confirms one of them
    link.echo(b"l")
    link.type(b"s")
    assert link.text(1) == "$ ls"


def test_password_prompt_never_shows_typed_characters() -> None:
    link = primed()
    link.type(b"\r")
    assert link.settled()
    link.echo(b"\r\nPassword: ")
    for key in b"hunter2":
        link.type(bytes([key]))
        assert link.settled()
        link.now += 300  # long-pending predictions trigger the glitch display
        assert link.render() == link.server.frame()
        link.echo()
        assert link.settled()


def test_password_typed_ahead_of_the_prompt_never_shows() -> None:
    link = primed()
    for key in (b"\r", b"s", b"3", b"c"):
        link.type(key)
        assert link.settled()
    link.echo(b"\r\nPassword: ")
    assert link.settled()
    link.type(b"r")
    link.echo()
    assert link.settled()


def test_vi_insert_mode_predicts_and_command_mode_leaves_no_wrong_character() -> None:
    link = Link()
    link.echo(vi_line("axxb line", 0) + b"\x1b[2;1H~\x1b[3;1H~\x1b[1;1H")
    steps = [
        (b"i", vi_line("axxb line", 0, "-- INSERT --")),
        (b"12", vi_line("12axxb line", 2, "-- INSERT --")),
        (b"3", vi_line("123axxb line", 3, "-- INSERT --")),
        (b"\x1b", vi_line("123axxb line", 2)),
        (b"l", vi_line("123axxb line", 3)),
        (b"l", vi_line("123axxb line", 4)),
        (b"x", vi_line("123axb line", 4)),  # deletes an x: the next x moves under the cursor
        (b"x", vi_line("123ab line", 4)),
        (b"w", vi_line("123ab line", 6)),
        (b"dw", vi_line("123ab ", 5)),
        (b"A", vi_line("123ab ", 6, "-- INSERT --")),
        (b"z", vi_line("123ab z", 7, "-- INSERT --")),
        (b"\x1b", vi_line("123ab z", 6)),
    ]
    for keys, screen in steps:
        typed = link.type(keys)
        if keys == b"3":
            assert typed.rows[0].text().startswith("123axxb")  # insert mode: shown at once
        link.echo(screen)
        assert link.settled(), (keys, link.text())


def test_vi_command_keys_are_never_shown() -> None:
    link = Link()
    link.echo(vi_line("hello", 0) + b"\x1b[2;1H~\x1b[1;1H")
    link.type(b"i")
    link.echo(vi_line("hello", 0, "-- INSERT --"))
    link.type(b"a")
    link.echo(vi_line("ahello", 1, "-- INSERT --"))
    link.type(b"\x1b")
    for key in b"lljkwx":
        assert link.type(bytes([key])) == link.server.frame()


# -- the right edge --------------------------------------------------------------


def test_typing_into_the_last_column_is_tentative_and_wraps_the_cursor() -> None:
    link = primed(width=8)
    link.type(b"abcd")
    assert link.text() == "$ eabcd" and link.cursor() == (0, 7)
    link.echo(b"abcd")
    link.type(b"f")  # the last column: hidden, like everything after it
    link.type(b"g")
    assert link.settled()
    link.echo(b"f \r", upto=link.sent - 1)  # a shell that wraps: the cursor goes down
    assert link.settled()
    link.echo(b"g")
    assert link.settled()
    link.type(b"h")
    assert link.text(1) == "gh" and link.cursor() == (1, 2)


def test_an_editor_that_does_not_wrap_leaves_no_trace() -> None:
    link = primed(width=8)
    link.type(b"abcd")
    link.echo(b"abcd")
    link.type(b"fg")
    link.echo(b"\x1b[1;8H>")  # prints a continuation mark instead of the text
    assert link.settled()


def test_enter_on_the_last_row_predicts_a_blank_row() -> None:
    link = Link("experimental", height=2)
    link.echo(b"\r\n$ ")
    link.type(b"ls\r")
    assert link.text(1) == "" and link.cursor() == (1, 0)
    link.echo(b"ls\r\n")
    assert link.settled()


# -- Unicode ------------------------------------------------------------------------


def test_multibyte_characters_are_predicted() -> None:
    link = primed()
    link.type("é€".encode())
    assert link.text() == "$ eé€"
    link.echo("é€".encode())
    assert link.settled()


def test_utf8_split_across_reads() -> None:
    link = primed()
    data = "ü".encode()
    link.type(data[:1])
    assert link.text() == "$ e"
    link.type(data[1:])
    assert link.text() == "$ eü"


def test_wide_characters_are_not_predicted_and_start_a_tentative_epoch() -> None:
    link = primed()
    link.type("中".encode())
    link.type(b"a")
    assert link.settled()
    link.echo("中a".encode())
    assert link.settled()
    link.type(b"b")
    link.echo(b"b")
    link.type(b"c")
    assert link.text() == "$ e中abc"


def test_combining_characters_leave_the_real_screen() -> None:
    link = primed()
    link.type(b"e")
    link.type("\u0301".encode())
    link.echo("e\u0301".encode())
    assert link.settled()


def test_insertion_before_wide_characters_is_repaired_by_the_echo() -> None:
    link = primed()
    link.echo("中文".encode() + b"\x1b[1;4H")
    link.type(b"x")
    frame = link.shown
    assert frame.width == 20 and len(frame.rows[0].cells) == 20
    new_frame(True, link.server.frame(), frame)  # the client can paint it
    link.echo("x中文".encode() + b"\x1b[1;5H")
    assert link.settled()


# -- backspace and arrows ---------------------------------------------------------


def test_backspace_removes_the_predicted_character() -> None:
    link = primed()
    link.type(b"ab")
    link.type(DEL)
    assert link.text() == "$ ea" and link.cursor() == (0, 4)
    link.echo(b"a")
    assert link.settled()


def test_backspace_in_the_middle_pulls_the_line_left() -> None:
    link = primed()
    link.type(b"abc")
    link.echo(b"abc")
    link.type(LEFT + LEFT + DEL)
    assert link.text() == "$ ebc" and link.cursor() == (0, 3)
    link.echo(b"\b\x1b[Kbc\b\b")
    assert link.settled()


def test_backspace_in_the_first_column_does_nothing() -> None:
    link = Link()
    link.echo(b"x")
    link.type(b"y")
    link.echo(b"y")
    link.type(b"\r")
    link.echo(b"\r\n")
    link.type(b"z")
    link.echo(b"z")
    link.type(DEL + DEL)
    assert link.cursor() == (1, 0) and link.text(1) == ""


def test_backspace_overwriting_leaves_a_space() -> None:
    link = primed(overwrite=True)
    link.type(b"ab")
    link.type(LEFT + DEL)
    assert link.text() == "$ e b" and link.cursor() == (0, 3)


@pytest.mark.parametrize("left,right", [(LEFT, RIGHT), (APP_LEFT, APP_RIGHT)])
def test_arrows_move_the_predicted_cursor(left: bytes, right: bytes) -> None:
    link = primed()
    link.type(left + left)
    assert link.cursor() == (0, 1)
    link.type(right)
    assert link.cursor() == (0, 2)
    link.echo(b"\b\b\x1b[C")
    assert link.settled()


def test_arrows_stop_at_the_edges() -> None:
    link = primed(width=8)
    link.type(RIGHT * 9)
    assert link.cursor() == (0, 7)
    link.type(LEFT * 9)
    assert link.cursor() == (0, 0)


@pytest.mark.parametrize(
    "key,shown",
    [
        (b"\x1b[A", "$ e"),  # up arrow: history, who knows
        (b"\x01", "$ e"),  # a control key
        (b"\x1bb", "$ e"),  # an escape sequence (Alt-b)
        (b"\x1b[1;5C", "$ e q"),  # any CSI ending in C moves right
        (b"\x1b]0;x\x07", "$ eq"),  # a string is swallowed whole
    ],
)
def test_other_keys_start_a_tentative_epoch(key: bytes, shown: str) -> None:
    link = primed()
    link.type(key + b"q")
    assert link.text() == shown


# -- when to show, when to flag ------------------------------------------------------


@pytest.mark.parametrize("interval,showing", [(20, False), (30, False), (31, True), (100, True)])
def test_adaptive_shows_only_on_a_slow_link(interval: int, showing: bool) -> None:
    link = primed("adaptive", send_interval=interval)
    link.type(b"z")
    assert (link.text() == "$ ez") is showing


def test_srtt_trigger_has_hysteresis() -> None:
    link = primed("adaptive", send_interval=100)
    link.type(b"z")
    link.send_interval = 25
    assert link.render().rows[0].text().startswith("$ ez")
    link.send_interval = 20
    assert link.render().rows[0].text().startswith("$ ez")  # not while predictions are active
    link.echo(b"z")
    link.render()
    assert not link.engine.srtt_trigger
    link.type(b"y")
    assert link.text() == "$ ez"


def test_flagging_has_hysteresis() -> None:
    link = primed(send_interval=81)
    link.type(b"a")
    assert link.shown.cell(0, 3).renditions.underlined
    link.send_interval = 51
    assert link.render().cell(0, 3).renditions.underlined
    link.send_interval = 50
    assert not link.render().cell(0, 3).renditions.underlined
    link.send_interval = 80
    assert not link.render().cell(0, 3).renditions.underlined


def test_flagging_underlines_only_what_changes() -> None:
    link = primed(width=8, send_interval=100)
    link.echo(b"x\b")
    link.type(b"x")  # the same as what is there: not flagged
    assert not link.shown.cell(0, 3).renditions.underlined
    link.type(b"a")
    shown = link.shown
    assert shown.rows[0].text() == "$ exax  "
    assert shown.cell(0, 4).renditions.underlined and shown.cell(0, 5).renditions.underlined
    assert not shown.cell(0, 6).renditions.underlined  # a blank shifted over a blank


def test_unknown_cells_are_underlined_before_the_last_column() -> None:
    link = primed(width=12, send_interval=100)
    link.echo(b"abcdefghi\x1b[1;5H")
    link.type(DEL)
    shown = link.shown
    assert shown.rows[0].text() == "$ ebcdefghhi"  # the last two cells are unknown
    assert shown.cell(0, 10).renditions.underlined
    assert not shown.cell(0, 11).renditions.underlined


def test_a_long_pending_prediction_shows_in_adaptive_mode() -> None:
    link = primed("adaptive", send_interval=20)
    link.type(b"z")
    assert link.text() == "$ e"
    link.now += 250
    assert link.render().rows[0].text().startswith("$ ez")
    assert not link.shown.cell(0, 3).renditions.underlined
    link.now += 5000
    link.render()
    assert link.render().cell(0, 3).renditions.underlined  # a very long glitch also flags
    assert link.engine.wait_time(link.now) is None  # every timing trigger has fired


def test_quick_confirmations_repair_the_glitch_trigger() -> None:
    link = primed("adaptive", send_interval=20)
    link.type(b"z")
    link.now += 250
    link.render()
    link.echo(b"z")
    for repaired, key in enumerate(b"abcdefghij", start=1):
        link.type(bytes([key]))
        link.echo(bytes([key]), wait=140)  # confirmed within 250 ms, 150 ms apart
        assert link.engine.glitch_trigger == 10 - repaired
    link.type(b"k")
    assert link.text() == "$ ezabcdefghij"


def test_wait_time_asks_for_timing_checks_while_predicting() -> None:
    link = primed()
    assert link.engine.wait_time(link.now) is None
    link.type(b"a")
    assert link.engine.wait_time(link.now) == link.now + 50


# -- modes and resets ----------------------------------------------------------------------


def test_never_mode_shows_nothing() -> None:
    link = primed("never")
    link.type(b"abc")
    assert link.settled() and not link.engine.active()


def test_experimental_shows_at_once_and_clears_only_wrong_cells() -> None:
    link = Link("experimental")
    link.echo(b"$ ")
    link.type(b"ab")
    assert link.text() == "$ ab"
    link.type(b"\r")
    link.type(b"c")
    assert link.text(1) == "c"
    link.echo(b"Xb\r\n")
    assert link.settled()


def test_resize_resets_predictions() -> None:
    link = primed()
    link.type(b"z")
    link.server.resize(30, 4)
    link.render()
    assert link.settled() and not link.engine.active()
    link.type(b"y")
    assert link.settled()


def test_reset_hides_predictions_until_a_new_confirmation() -> None:
    link = primed()
    link.engine.reset()
    link.type(b"z")
    assert link.settled()


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError):
        PredictionEngine("sometimes")


# -- never a wrong character once the server has spoken ---------------------------------


def _cooked_echo(keys: bytes) -> bytes:
    """A terminal in cooked mode: printable keys echo, DEL rubs out, CR starts a line."""
    out = bytearray()
    for key in keys:
        if key == 0x7F:
            out += b"\b \b"
        elif key == 0x0D:
            out += b"\r\n"
        elif key >= 0x20:
            out.append(key)
    return bytes(out)


@pytest.mark.parametrize("seed", range(8))
def test_random_typing_settles_on_the_server_screen(seed: int) -> None:
    rng = random.Random(seed)
    mode = rng.choice(["always", "adaptive", "experimental"])
    link = Link(mode, send_interval=rng.choice([20, 60, 120]), width=12, height=3)
    link.echo(b"$ ")
    keys = [b"a", b"b", b" ", DEL, LEFT, RIGHT, b"\r", "é".encode(), "中".encode(), b"\x1b"]
    unechoed = b""
    for _ in range(60):
        typed = b"".join(rng.choice(keys) for _ in range(rng.randint(1, 3)))
        unechoed += typed
        shown = link.type(typed)
        new_frame(True, link.server.frame(), shown)
        if rng.random() < 0.6:
            link.echo(_cooked_echo(unechoed) if rng.random() < 0.8 else b"?")
            unechoed = b""
            assert link.settled()
