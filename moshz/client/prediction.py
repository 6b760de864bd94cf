"""Speculative local echo: mosh's prediction engine, sans-I/O.

Keystrokes, the shown server frame, the server's echo ack and ``now`` go in;
an overlaid frame comes out. A prediction is judged only once the server's
echo ack says the keystroke reached the application long enough ago for its
echo to be on the screen (PROTOCOL.md section 11.3). Predictions are grouped
into epochs: after anything the engine cannot model (Enter, control keys,
escape sequences) a new, tentative epoch starts whose predictions stay hidden
until one of them has been confirmed by the server.
"""

from __future__ import annotations

import codecs

from moshz.term.frame import Cell, Frame, Row
from moshz.term.wcwidth import wcwidth

ADAPTIVE, ALWAYS, NEVER, EXPERIMENTAL = "adaptive", "always", "never", "experimental"
MODES = (ADAPTIVE, ALWAYS, NEVER, EXPERIMENTAL)

SRTT_TRIGGER_LOW = 20
SRTT_TRIGGER_HIGH = 30
FLAG_TRIGGER_LOW = 50
FLAG_TRIGGER_HIGH = 80
GLITCH_THRESHOLD = 250
GLITCH_REPAIR_COUNT = 10
GLITCH_REPAIR_MININTERVAL = 150
GLITCH_FLAG_THRESHOLD = 5000
TIMING_WAKEUP = 50

# Outcomes of judging one prediction against the server's frame.
INACTIVE, PENDING, CORRECT, CORRECT_NO_CREDIT, INCORRECT = range(5)

_BLANKS = ("", " ", "\u00a0")


def _looks_blank(cell: Cell) -> bool:
    return cell.contents in _BLANKS


def _same_contents(a: Cell, b: Cell) -> bool:
    return (_looks_blank(a) and _looks_blank(b)) or a.contents == b.contents


class _Prediction:
    """What every prediction has: an epoch, a frame it waits for, a birth time."""

    __slots__ = ("active", "epoch", "expiration_frame", "made_at")

    def __init__(self) -> None:
        self.active = False
        self.epoch = 0
        self.expiration_frame = 0
        self.made_at = 0

    def arm(self, epoch: int, expiration_frame: int, now: int) -> None:
        """Activate for ``epoch``, to be judged once ``expiration_frame`` is late-acked."""
        self.active = True
        self.epoch = epoch
        self.expiration_frame = expiration_frame
        self.made_at = now

    def hidden(self, confirmed_epoch: int) -> bool:
        """True while the epoch of this prediction is not yet confirmed."""
        return self.epoch > confirmed_epoch


class _CursorPrediction(_Prediction):
    """Where the cursor should be once the server has echoed our keys."""

    __slots__ = ("col", "row")

    def __init__(self, row: int, col: int) -> None:
        super().__init__()
        self.row = row
        self.col = col

    def judge(self, frame: Frame, late_ack: int) -> int:
        if not self.active:
            return INACTIVE
        if self.row >= frame.height or self.col >= frame.width:
            return INCORRECT
        if late_ack < self.expiration_frame:
            return PENDING
        if (frame.cursor_row, frame.cursor_col) == (self.row, self.col):
            return CORRECT
        return INCORRECT


class _CellPrediction(_Prediction):
    """The expected contents of one cell (or 'unknown': something shifted in)."""

    __slots__ = ("originals", "replacement", "unknown")

    def __init__(self) -> None:
        super().__init__()
        self.unknown = False
        self.replacement = Cell()
        self.originals: list[Cell] = []

    def restart(self, epoch: int, expiration_frame: int, now: int, original: Cell) -> None:
        """Re-arm this cell for a new prediction, remembering what was there before."""
        if not self.active:
            self.originals = []
        self.arm(epoch, expiration_frame, now)
        self.originals.append(original)

    def clear(self) -> None:
        """Forget the prediction entirely."""
        self.active = False
        self.unknown = False
        self.originals = []

    def judge(self, frame: Frame, row: int, col: int, late_ack: int) -> int:
        if not self.active:
            return INACTIVE
        if row >= frame.height or col >= frame.width:
            return INCORRECT
        if late_ack < self.expiration_frame:
            return PENDING
        if self.unknown or _looks_blank(self.replacement):
            return CORRECT_NO_CREDIT
        actual = frame.cell(row, col)
        if not _same_contents(actual, self.replacement):
            return INCORRECT
        if any(_same_contents(o, self.replacement) for o in self.originals):
            return CORRECT_NO_CREDIT
        return CORRECT


class _KeyClassifier:
    """Splits typed bytes into the few kinds of action the engine cares about.

    Yields ('print', ch), ('execute', ch), ('esc', ch) or ('csi', final) for
    the user's keystrokes; parameters and strings produce nothing.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._state = "ground"
        self._last_byte = -1

    def feed(self, data: bytes) -> list[tuple]:
        actions: list[tuple] = []
        for byte in data:
            if self._last_byte == 0x1B and byte == 0x4F:
                byte = 0x5B  # application-mode arrows (ESC O x) read as ESC [ x
            self._last_byte = byte
            for ch in self._decoder.decode(bytes((byte,))):
                action = self._step(ord(ch))
                if action is not None:
                    actions.append(action)
        return actions

    def _step(self, c: int) -> tuple | None:
        if c == 0x1B:
            self._state = "escape"
            return None
        if c in (0x18, 0x1A):
            self._state = "ground"
            return ("execute", c)
        state = self._state
        if state in ("string", "osc"):
            if c == 0x07:
                self._state = "ground"
            return None
        if c < 0x20:
            return ("execute", c)
        if state == "ground":
            if 0x80 <= c < 0xA0:
                return ("execute", c)
            return ("print", c)
        if state == "escape":
            return self._after_escape(c)
        if state == "escape_intermediate":
            if 0x30 <= c <= 0x7E:
                self._state = "ground"
                return ("esc", c)
            return None
        if 0x40 <= c <= 0x7E:  # csi
            self._state = "ground"
            return ("csi", c)
        return None

    def _after_escape(self, c: int) -> tuple | None:
        if c == 0x5B:
            self._state = "csi"
        elif c == 0x5D:
            self._state = "osc"
        elif c in (0x50, 0x58, 0x5E, 0x5F):
            self._state = "string"
        elif 0x20 <= c <= 0x2F:
            self._state = "escape_intermediate"
        elif 0x30 <= c <= 0x7E:
            self._state = "ground"
            return ("esc", c)
        return None


class PredictionEngine:
    """mosh's local-echo engine: predicts, shows, confirms and rolls back echoes."""

    def __init__(self, mode: str = ADAPTIVE, overwrite: bool = False) -> None:
        if mode not in MODES:
            raise ValueError(f"Unknown prediction mode {mode}.")
        self.mode = mode
        self.overwrite = overwrite
        self.prediction_epoch = 1
        self.confirmed_epoch = 0
        self.srtt_trigger = False
        self.glitch_trigger = 0
        self.flagging = False
        self.send_interval = 250
        self.local_frame_sent = 0
        self.local_frame_acked = 0
        self.local_frame_late_acked = 0
        self._last_quick_confirmation = 0
        self._size: tuple | None = None
        self._cursors: list[_CursorPrediction] = []
        self._rows: dict[int, list[_CellPrediction]] = {}
        self._keys = _KeyClassifier()

    # -- inputs ---------------------------------------------------------------

    def set_network_state(
        self, *, send_interval: int, frame_sent: int, frame_acked: int, echo_ack: int
    ) -> None:
        """Record the transport's view: send interval, sent/acked state numbers, echo ack."""
        self.send_interval = send_interval
        self.local_frame_sent = frame_sent
        self.local_frame_acked = frame_acked
        self.local_frame_late_acked = echo_ack

    def new_user_bytes(self, data: bytes, frame: Frame, now: int) -> None:
        """Predict the echo of keystrokes typed while ``frame`` is shown."""
        if self.mode == NEVER:
            return
        if self.mode == EXPERIMENTAL:
            self.prediction_epoch = self.confirmed_epoch
        self.cull(frame, now)
        for kind, ch in self._keys.feed(data):
            if kind == "print":
                self._predict_print(ch, frame, now)
            elif kind == "execute" and ch == 0x0D:
                self._become_tentative()
                self._newline(frame, now)
            elif kind == "csi" and ch in (0x43, 0x44):
                self._move_cursor(1 if ch == 0x43 else -1, frame, now)
            else:
                self._become_tentative()

    def reset(self) -> None:
        """Drop every prediction (resize, paste, or a wrong guess)."""
        self._cursors = []
        self._rows = {}
        self._become_tentative()

    # -- judging --------------------------------------------------------------

    def cull(self, frame: Frame, now: int) -> None:
        """Judge predictions against the server's ``frame``; update the triggers."""
        if self.mode == NEVER:
            return
        size = (frame.width, frame.height)
        if size != self._size:
            self._size = size
            self.reset()
        self._update_triggers()
        for row_number in list(self._rows):
            if not self._cull_row(row_number, frame, now):
                return
        self._cull_cursors(frame)

    def _update_triggers(self) -> None:
        if self.send_interval > SRTT_TRIGGER_HIGH:
            self.srtt_trigger = True
        elif self.srtt_trigger and self.send_interval <= SRTT_TRIGGER_LOW and not self.active():
            self.srtt_trigger = False
        if self.send_interval > FLAG_TRIGGER_HIGH:
            self.flagging = True
        elif self.send_interval <= FLAG_TRIGGER_LOW:
            self.flagging = False
        if self.glitch_trigger > GLITCH_REPAIR_COUNT:
            self.flagging = True

    def _cull_row(self, row_number: int, frame: Frame, now: int) -> bool:
        """Judge one row's cells; False if the whole engine was reset."""
        cells = self._rows.get(row_number)
        if cells is None:
            return True
        late_ack = self.local_frame_late_acked
        for col, cell in enumerate(cells):
            verdict = cell.judge(frame, row_number, col, late_ack)
            if verdict == INCORRECT:
                if cell.hidden(self.confirmed_epoch):
                    self._kill_epoch(cell.epoch, frame)
                elif self.mode == EXPERIMENTAL:
                    cell.clear()
                else:
                    self.reset()
                    return False
            elif verdict == CORRECT:
                self._confirm(cells, col, frame, row_number, now)
            elif verdict == CORRECT_NO_CREDIT:
                cell.clear()
            elif verdict == PENDING:
                self._note_pending(now - cell.made_at)
        return True

    def _confirm(
        self, cells: list[_CellPrediction], col: int, frame: Frame, row: int, now: int
    ) -> None:
        cell = cells[col]
        self.confirmed_epoch = max(self.confirmed_epoch, cell.epoch)
        quick = now - cell.made_at < GLITCH_THRESHOLD
        spaced = now - GLITCH_REPAIR_MININTERVAL >= self._last_quick_confirmation
        if quick and spaced and self.glitch_trigger > 0:
            self.glitch_trigger -= 1
            self._last_quick_confirmation = now
        looks = frame.cell(row, col).renditions
        for later in cells[col:]:
            later.replacement = later.replacement._replace(renditions=looks)
        cell.clear()

    def _note_pending(self, age: int) -> None:
        if age >= GLITCH_FLAG_THRESHOLD:
            self.glitch_trigger = GLITCH_REPAIR_COUNT * 2
        elif age >= GLITCH_THRESHOLD and self.glitch_trigger < GLITCH_REPAIR_COUNT:
            self.glitch_trigger = GLITCH_REPAIR_COUNT

    def _cull_cursors(self, frame: Frame) -> None:
        late_ack = self.local_frame_late_acked
        if self._cursors and self._cursors[-1].judge(frame, late_ack) == INCORRECT:
            if self.mode == EXPERIMENTAL:
                self._cursors = []
            else:
                self.reset()
                return
        self._cursors = [c for c in self._cursors if c.judge(frame, late_ack) == PENDING]

    def _kill_epoch(self, epoch: int, frame: Frame) -> None:
        """Drop the predictions of ``epoch`` and later; re-anchor on the real cursor."""
        self._cursors = [c for c in self._cursors if c.epoch < epoch]
        anchor = _CursorPrediction(frame.cursor_row, frame.cursor_col)
        anchor.arm(self.prediction_epoch, self.local_frame_sent + 1, 0)
        self._cursors.append(anchor)
        for cells in self._rows.values():
            for cell in cells:
                if cell.epoch >= epoch:
                    cell.clear()
        self._become_tentative()

    # -- predicting -----------------------------------------------------------

    def _become_tentative(self) -> None:
        if self.mode != EXPERIMENTAL:
            self.prediction_epoch += 1

    def _cursor(self, frame: Frame, now: int) -> _CursorPrediction:
        """The newest cursor prediction of the current epoch (made if needed)."""
        if self._cursors and self._cursors[-1].epoch == self.prediction_epoch:
            return self._cursors[-1]
        if self._cursors:
            row, col = self._cursors[-1].row, self._cursors[-1].col
        else:
            row, col = frame.cursor_row, frame.cursor_col
        cursor = _CursorPrediction(row, col)
        cursor.arm(self.prediction_epoch, self.local_frame_sent + 1, now)
        self._cursors.append(cursor)
        return cursor

    def _row(self, row: int, width: int) -> list[_CellPrediction]:
        cells = self._rows.get(row)
        if cells is None or len(cells) != width:
            cells = [_CellPrediction() for _ in range(width)]
            self._rows[row] = cells
        return cells

    def _arm_cell(self, cell: _CellPrediction, frame: Frame, row: int, col: int, now: int) -> None:
        cell.restart(self.prediction_epoch, self.local_frame_sent + 1, now, frame.cell(row, col))

    def _predict_print(self, ch: int, frame: Frame, now: int) -> None:
        if ch == 0x7F:
            self._predict_backspace(frame, now)
        elif ch < 0x20 or wcwidth(ch) != 1:
            self._become_tentative()
        else:
            self._predict_char(chr(ch), frame, now)

    def _predict_char(self, ch: str, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame, now)
        width = frame.width
        if cursor.row >= frame.height or cursor.col >= width:
            self.reset()
            return
        cells = self._row(cursor.row, width)
        if cursor.col + 1 >= width:
            self._become_tentative()
        if not self.overwrite:
            for col in range(width - 1, cursor.col, -1):
                self._shift_into(cells, col, col - 1, frame, cursor.row, now, col == width - 1)
        cell = cells[cursor.col]
        self._arm_cell(cell, frame, cursor.row, cursor.col, now)
        cell.unknown = False
        cell.replacement = Cell(ch, self._left_renditions(cells, frame, cursor.row, cursor.col))
        cursor.arm(cursor.epoch, self.local_frame_sent + 1, now)
        if cursor.col < width - 1:
            cursor.col += 1
        else:
            self._become_tentative()
            self._newline(frame, now)

    def _left_renditions(self, cells: list[_CellPrediction], frame: Frame, row: int, col: int):
        if col == 0:
            return frame.renditions
        left = cells[col - 1]
        if left.active and not left.unknown:
            return left.replacement.renditions
        return frame.cell(row, col - 1).renditions

    def _shift_into(
        self,
        cells: list[_CellPrediction],
        col: int,
        source: int,
        frame: Frame,
        row: int,
        now: int,
        unknown: bool,
    ) -> None:
        """Predict that cell ``col`` will show what cell ``source`` shows now."""
        cell = cells[col]
        self._arm_cell(cell, frame, row, col, now)
        donor = cells[source]
        if unknown or (donor.active and donor.unknown):
            cell.unknown = True
        elif donor.active:
            cell.unknown = False
            cell.replacement = donor.replacement
        else:
            cell.unknown = False
            cell.replacement = frame.cell(row, source)

    def _predict_backspace(self, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame, now)
        if cursor.col <= 0 or cursor.row >= frame.height or cursor.col > frame.width:
            return
        cursor.col -= 1
        cursor.arm(cursor.epoch, self.local_frame_sent + 1, now)
        width = frame.width
        cells = self._row(cursor.row, width)
        if self.overwrite:
            cell = cells[cursor.col]
            self._arm_cell(cell, frame, cursor.row, cursor.col, now)
            cell.unknown = False
            cell.replacement = Cell(" ", frame.cell(cursor.row, cursor.col).renditions)
            return
        for col in range(cursor.col, width):
            last_two = col + 2 >= width
            self._shift_into(cells, col, min(col + 1, width - 1), frame, cursor.row, now, last_two)

    def _move_cursor(self, step: int, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame, now)
        target = cursor.col + step
        if 0 <= target < frame.width:
            cursor.col = target
            cursor.arm(cursor.epoch, self.local_frame_sent + 1, now)

    def _newline(self, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame, now)
        cursor.col = 0
        if cursor.row < frame.height - 1:
            cursor.row += 1
            return
        for col, cell in enumerate(self._row(cursor.row, frame.width)):
            self._arm_cell(cell, frame, cursor.row, col, now)
            cell.unknown = False
            cell.replacement = Cell()

    # -- output ---------------------------------------------------------------

    def active(self) -> bool:
        """True while any prediction waits to be judged."""
        if any(c.active for c in self._cursors):
            return True
        return any(cell.active for cells in self._rows.values() for cell in cells)

    def showing(self) -> bool:
        """Whether predictions are displayed now (mode and link-quality triggers)."""
        if self.mode == NEVER:
            return False
        if self.mode != ADAPTIVE:
            return True
        return self.srtt_trigger or self.glitch_trigger > 0

    def wait_time(self, now: int) -> int | None:
        """Absolute deadline for the next timing check, or None when none is needed."""
        if self.glitch_trigger and self.flagging:
            return None
        return now + TIMING_WAKEUP if self.active() else None

    def apply(self, frame: Frame) -> Frame:
        """``frame`` with the visible predictions drawn in (and underlined if flagging)."""
        if not self.showing():
            return frame
        rows = list(frame.rows)
        changed = False
        for row_number, cells in self._rows.items():
            if row_number < frame.height:
                new_row = self._overlay_row(rows[row_number], cells, frame.width)
                if new_row is not rows[row_number]:
                    rows[row_number] = new_row
                    changed = True
        cursor_row, cursor_col = frame.cursor_row, frame.cursor_col
        for cursor in self._cursors:
            visible = cursor.active and not cursor.hidden(self.confirmed_epoch)
            if visible and cursor.row < frame.height and cursor.col < frame.width:
                cursor_row, cursor_col = cursor.row, cursor.col
        if not changed and (cursor_row, cursor_col) == (frame.cursor_row, frame.cursor_col):
            return frame
        return frame.with_changes(rows=tuple(rows), cursor_row=cursor_row, cursor_col=cursor_col)

    def _overlay_row(self, row: Row, cells: list[_CellPrediction], width: int) -> Row:
        shown = list(row.cells)
        changed = False
        for col, cell in enumerate(cells[:width]):
            if not cell.active or cell.hidden(self.confirmed_epoch):
                continue
            actual = shown[col]
            flag = self.flagging and not (_looks_blank(cell.replacement) and _looks_blank(actual))
            if cell.unknown:
                if flag and col != width - 1:
                    shown[col] = actual._replace(
                        renditions=actual.renditions._replace(underlined=True)
                    )
                    changed = True
                continue
            if actual != cell.replacement or flag:
                new = cell.replacement
                if flag:
                    new = new._replace(renditions=new.renditions._replace(underlined=True))
                shown[col] = new
                changed = True
        if not changed:
            return row
        return Row(tuple(shown), row.wrap, row.gen)
