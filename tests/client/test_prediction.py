"""The prediction engine, driven with hand-made server frames and a fake clock."""

from __future__ import annotations

from typing import Sequence

import pytest

from moshz.client.prediction import PredictionEngine
from moshz.term.frame import Cell, Frame, Row


def screen(lines: Sequence[str], cursor: tuple, width: int = 20, height: int = 4) -> Frame:
    """A frame showing ``lines`` (ASCII) with the cursor at (row, col)."""
    rows = []
    for y in range(height):
        text = lines[y] if y < len(lines) else ""
        cells = tuple(Cell(ch) if ch != " " else Cell() for ch in text.ljust(width)[:width])
        rows.append(Row(cells, False, 1000 + y))
    return Frame(width, height, tuple(rows), cursor_row=cursor[0], cursor_col=cursor[1])


def shown(engine: PredictionEngine, frame: Frame) -> str:
    return engine.apply(frame).rows[0].text().rstrip()


class Session:
    """A tiny stand-in for the client: it numbers sent states like the transport."""

    def __init__(self, mode: str, send_interval: int = 100) -> None:
        self.engine = PredictionEngine(mode)
        self.sent = 0
        self.echo_ack = 0
        self.send_interval = send_interval
        self.now = 1000

    def sync(self) -> None:
        self.engine.set_network_state(
            send_interval=self.send_interval,
            frame_sent=self.sent,
            frame_acked=self.echo_ack,
            echo_ack=self.echo_ack,
        )

    def type(self, data: bytes, frame: Frame) -> None:
        self.sync()
        self.engine.new_user_bytes(data, frame, self.now)
        self.sent += 1  # the keys travel in the next state
        self.now += 10

    def server_echoed(self, frame: Frame) -> Frame:
        """The server's frame arrives with an echo ack covering everything sent."""
        self.echo_ack = self.sent
        self.now += 60
        self.sync()
        self.engine.cull(frame, self.now)
        return self.engine.apply(frame)


def test_first_keystroke_waits_for_confirmation_then_typing_is_local() -> None:
    s = Session("always")
    prompt = screen(["$ "], (0, 2))
    s.type(b"e", prompt)
    assert shown(s.engine, prompt) == "$"  # nothing confirmed yet: stays hidden
    echoed = screen(["$ e"], (0, 3))
    assert s.server_echoed(echoed).rows[0].text().rstrip() == "$ e"
    s.type(b"ch", echoed)
    painted = s.engine.apply(echoed)
    assert painted.rows[0].text().rstrip() == "$ ech"
    assert (painted.cursor_row, painted.cursor_col) == (0, 5)


def test_correct_predictions_vanish_into_the_real_screen() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    s.server_echoed(screen(["$ e"], (0, 3)))
    s.type(b"c", screen(["$ e"], (0, 3)))
    final = screen(["$ ec"], (0, 4))
    assert s.server_echoed(final) is final
    assert not s.engine.active()


def test_password_prompt_never_shows_typed_characters() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    s.server_echoed(screen(["$ e"], (0, 3)))  # an epoch is confirmed
    s.type(b"\r", screen(["$ e"], (0, 3)))
    prompt = screen(["Password: "], (0, 10))
    for ch in b"secret":
        s.type(bytes([ch]), prompt)
        assert shown(s.engine, prompt) == "Password:"
        assert s.server_echoed(prompt).rows[0].text().rstrip() == "Password:"


def test_vi_command_mode_leaves_no_wrong_character() -> None:
    s = Session("always")
    text = screen(["hello"], (0, 5))
    s.type(b"x", text)
    s.server_echoed(screen(["hellox"], (0, 6)))  # insert mode: confirmed
    s.type(b"\x1b", screen(["hellox"], (0, 6)))  # ESC: command mode, tentative
    after_esc = screen(["hellox"], (0, 5))
    s.type(b"x", after_esc)  # deletes a character in vi; the engine guesses an insert
    deleted = screen(["hello"], (0, 4))
    assert s.server_echoed(deleted) is deleted


def test_right_edge_wraps_the_predicted_cursor() -> None:
    s = Session("always")
    line = "x" * 19
    s.type(b"a", screen([line], (0, 19)))
    cursor = s.engine.apply(screen([line], (0, 19)))
    assert cursor.rows[0].text() == line + " "  # last-column typing is tentative


def test_unicode_prediction_and_wide_characters() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    s.type("é".encode(), echoed)
    assert shown(s.engine, echoed) == "$ eé"
    s.type("中".encode(), echoed)  # wide: not predicted, becomes tentative
    assert "中" not in shown(s.engine, echoed)


def test_utf8_split_across_reads() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    data = "ü".encode()
    s.type(data[:1], echoed)
    s.type(data[1:], echoed)
    assert shown(s.engine, echoed) == "$ eü"


def test_backspace_removes_the_predicted_character() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    s.type(b"ab", echoed)
    s.type(b"\x7f", echoed)
    painted = s.engine.apply(echoed)
    assert painted.rows[0].text().rstrip() == "$ ea"
    assert painted.cursor_col == 4


def test_never_mode_shows_nothing() -> None:
    s = Session("never")
    frame = screen(["$ "], (0, 2))
    s.type(b"abc", frame)
    assert s.engine.apply(frame) is frame
    assert not s.engine.active()


@pytest.mark.parametrize("interval,showing", [(20, False), (100, True)])
def test_adaptive_shows_only_on_a_slow_link(interval: int, showing: bool) -> None:
    s = Session("adaptive", send_interval=interval)
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    s.type(b"z", echoed)
    assert (shown(s.engine, echoed) == "$ ez") is showing


def test_flagging_underlines_unconfirmed_predictions() -> None:
    s = Session("always", send_interval=120)
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    s.type(b"z", echoed)
    cell = s.engine.apply(echoed).cell(0, 3)
    assert cell.contents == "z" and cell.renditions.underlined


def test_glitch_shows_predictions_after_a_long_wait_in_adaptive_mode() -> None:
    s = Session("adaptive", send_interval=20)
    s.type(b"e", screen(["$ "], (0, 2)))
    echoed = screen(["$ e"], (0, 3))
    s.server_echoed(echoed)
    s.type(b"z", echoed)
    s.sync()
    s.engine.cull(echoed, s.now + 300)  # still pending after 250 ms: a glitch
    assert shown(s.engine, echoed) == "$ ez"
    assert s.engine.wait_time(s.now) is not None


def test_resize_resets_predictions() -> None:
    s = Session("always")
    s.type(b"e", screen(["$ "], (0, 2)))
    s.server_echoed(screen(["$ e"], (0, 3)))
    s.type(b"z", screen(["$ e"], (0, 3)))
    bigger = screen(["$ e"], (0, 3), width=30)
    s.sync()
    s.engine.cull(bigger, s.now)
    assert s.engine.apply(bigger) is bigger


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(ValueError):
        PredictionEngine("sometimes")
