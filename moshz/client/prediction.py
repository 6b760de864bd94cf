"""Speculative local echo: mosh's prediction engine, sans-I/O (PROTOCOL.md 11.3).

Keystrokes, the frame on screen, the transport's state numbers, the server's
echo ack and ``now`` go in; an overlaid frame and a wake-up time come out. A
prediction is judged only once the server's echo ack says the keystroke
reached the application long enough ago for its echo to be on the screen.
Predictions are grouped into epochs: after anything the engine cannot model
(Enter, control keys, escape sequences, the last column) a new, tentative
epoch starts whose predictions stay hidden until one of them is confirmed.
"""

from __future__ import annotations

from moshz.client.prediction_keys import CSI_DISPATCH, EXECUTE, PRINT, KeyAction, KeyParser
from moshz.term.frame import Cell, Frame, Renditions, Row
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
PENDING, CORRECT, CORRECT_NO_CREDIT, INCORRECT = range(4)

_BLANKS = ("", " ", "\u00a0")
_CR, _DEL, _RIGHT, _LEFT = 0x0D, 0x7F, ord("C"), ord("D")


def _looks_blank(cell: Cell) -> bool:
    return cell.contents in _BLANKS


def _same_contents(a: Cell, b: Cell) -> bool:
    return (_looks_blank(a) and _looks_blank(b)) or a.contents == b.contents


def _underlined(cell: Cell) -> Cell:
    return cell._replace(renditions=cell.renditions._replace(underlined=True))


class _Prediction:
    """What every prediction has: an epoch, the state it waits for, when it was made."""

    __slots__ = ("epoch", "expiration_frame", "made_at")

    def __init__(self, epoch: int, frame_num: int) -> None:
        self.epoch = epoch
        self.expiration_frame = frame_num
        self.made_at = 0

    def expire(self, frame_num: int, now: int) -> None:
        """Judge this prediction once state ``frame_num`` has been late-acked."""
        self.expiration_frame = frame_num
        self.made_at = now

    def tentative(self, confirmed_epoch: int) -> bool:
        """True while the epoch of this prediction is not yet confirmed (so it is hidden)."""
        return self.epoch > confirmed_epoch


class _CursorPrediction(_Prediction):
    """Where the cursor should be once the server has echoed our keys."""

    __slots__ = ("col", "row")

    def __init__(self, row: int, col: int, epoch: int, frame_num: int) -> None:
        super().__init__(epoch, frame_num)
        self.row = row
        self.col = col

    def judge(self, frame: Frame, late_ack: int) -> int:
        """How this prediction compares with ``frame``."""
        if late_ack < self.expiration_frame:
            return PENDING
        if (frame.cursor_row, frame.cursor_col) == (self.row, self.col):
            return CORRECT
        return INCORRECT


class _CellPrediction(_Prediction):
    """The expected contents of one cell, or 'unknown' (something unseen shifted in)."""

    __slots__ = ("active", "originals", "replacement", "unknown")

    def __init__(self) -> None:
        super().__init__(0, 0)
        self.active = False
        self.unknown = False
        self.replacement = Cell()
        self.originals: list[Cell] = []

    def reset(self) -> None:
        """Forget the prediction entirely."""
        self.active = False
        self.unknown = False
        self.originals = []

    def start(self, epoch: int, frame_num: int, now: int, original: Cell) -> None:
        """Begin a new prediction here; what was predicted or shown before gets no credit."""
        if self.active and not self.unknown:
            self.originals.append(self.replacement)
        else:
            self.originals = []
        self.unknown = False
        self.active = True
        self.epoch = epoch
        self.expire(frame_num, now)
        self.originals.append(original)

    def judge(self, frame: Frame, row: int, col: int) -> int:
        """How this active, late-acked prediction compares with the cell at (row, col)."""
        if self.unknown or _looks_blank(self.replacement):
            return CORRECT_NO_CREDIT
        if not _same_contents(frame.cell(row, col), self.replacement):
            return INCORRECT
        if any(_same_contents(o, self.replacement) for o in self.originals):
            return CORRECT_NO_CREDIT
        return CORRECT

    def overlay(self, actual: Cell, flag: bool, last_column: bool) -> Cell:
        """What to show instead of ``actual`` (the caller has checked it is visible)."""
        replacement = self.replacement
        if flag and replacement.contents in _BLANKS and actual.contents in _BLANKS:
            flag = False
        if self.unknown:
            return _underlined(actual) if flag and not last_column else actual
        if actual == replacement:
            return actual
        return _underlined(replacement) if flag else replacement


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
        self._size = (0, 0)
        self._cursors: list[_CursorPrediction] = []
        self._rows: dict[int, list[_CellPrediction]] = {}
        self._live: set[int] = set()  # rows that may hold active cells (the others are skipped)
        self._keys = KeyParser()

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
        """Predict the echo of keystrokes typed while ``frame`` is on the screen."""
        if self.mode == NEVER:
            return
        for byte in data:
            if self.mode == EXPERIMENTAL:
                self.prediction_epoch = self.confirmed_epoch
            self.cull(frame, now)
            for action in self._keys.feed(byte):
                self._act(action, frame, now)

    def reset(self) -> None:
        """Drop every prediction (resize, paste, or a wrong guess)."""
        self._cursors = []
        self._rows = {}
        self._live = set()
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
        for row_num in list(self._rows):
            if row_num >= frame.height:
                del self._rows[row_num]
                self._live.discard(row_num)
            elif row_num in self._live and not self._cull_row(row_num, frame, now):
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

    def _cull_row(self, row_num: int, frame: Frame, now: int) -> bool:
        """Judge one row's cells; False if that reset the whole engine."""
        cells = self._rows[row_num]
        late_ack = self.local_frame_late_acked
        live = False
        for col, cell in enumerate(cells):
            if not cell.active:
                continue
            if late_ack < cell.expiration_frame:  # pending: only its age matters
                age = now - cell.made_at
                if age >= GLITCH_THRESHOLD:
                    self._note_pending(age)
                live = True
                continue
            verdict = cell.judge(frame, row_num, col)
            if verdict == INCORRECT:
                if self.mode == EXPERIMENTAL:
                    cell.reset()
                elif cell.tentative(self.confirmed_epoch):
                    self._kill_epoch(cell.epoch, frame)
                else:
                    self.reset()
                    return False
            elif verdict == CORRECT:
                self._confirm(cells, col, frame.cell(row_num, col).renditions, now)
            elif verdict == CORRECT_NO_CREDIT:
                cell.reset()
            live = live or cell.active
        if not live:
            self._live.discard(row_num)
        return True

    def _confirm(self, cells: list[_CellPrediction], col: int, looks: Renditions, now: int) -> None:
        """A correct prediction: its epoch is confirmed; the row takes the real renditions."""
        cell = cells[col]
        self.confirmed_epoch = max(self.confirmed_epoch, cell.epoch)
        quick = now - cell.made_at < GLITCH_THRESHOLD
        spaced = now - GLITCH_REPAIR_MININTERVAL >= self._last_quick_confirmation
        if quick and spaced and self.glitch_trigger > 0:
            self.glitch_trigger -= 1
            self._last_quick_confirmation = now
        for later in cells[col:]:
            later.replacement = later.replacement._replace(renditions=looks)
        cell.reset()

    def _note_pending(self, age: int) -> None:
        """A prediction still unconfirmed after ``age`` ms shows the link is glitchy."""
        if age >= GLITCH_FLAG_THRESHOLD:
            self.glitch_trigger = GLITCH_REPAIR_COUNT * 2
        elif age >= GLITCH_THRESHOLD and self.glitch_trigger < GLITCH_REPAIR_COUNT:
            self.glitch_trigger = GLITCH_REPAIR_COUNT

    def _cull_cursors(self, frame: Frame) -> None:
        late_ack = self.local_frame_late_acked
        if self._cursors and self._cursors[-1].judge(frame, late_ack) == INCORRECT:
            if self.mode != EXPERIMENTAL:
                self.reset()
                return
            self._cursors = []
        self._cursors = [c for c in self._cursors if c.judge(frame, late_ack) == PENDING]

    def _kill_epoch(self, epoch: int, frame: Frame) -> None:
        """Drop the predictions of ``epoch`` and later; re-anchor on the real cursor."""
        self._cursors = [c for c in self._cursors if c.epoch < epoch]
        self._new_cursor(frame.cursor_row, frame.cursor_col)
        for row_num in self._live:
            for cell in self._rows[row_num]:
                if cell.epoch >= epoch:
                    cell.reset()
        self._become_tentative()

    # -- predicting -----------------------------------------------------------

    def _act(self, action: KeyAction, frame: Frame, now: int) -> None:
        kind, char = action
        if kind == PRINT:
            self._print(char, frame, now)
        elif kind == CSI_DISPATCH and char in (_RIGHT, _LEFT):
            self._arrow(1 if char == _RIGHT else -1, frame, now)
        else:
            self._become_tentative()
            if kind == EXECUTE and char == _CR:
                self._newline(frame, now)

    def _become_tentative(self) -> None:
        if self.mode != EXPERIMENTAL:
            self.prediction_epoch += 1

    def _cursor(self, frame: Frame) -> _CursorPrediction:
        """The cursor prediction of the current epoch (started from the newest one if needed)."""
        if not self._cursors:
            return self._new_cursor(frame.cursor_row, frame.cursor_col)
        newest = self._cursors[-1]
        if newest.epoch != self.prediction_epoch:
            return self._new_cursor(newest.row, newest.col)
        return newest

    def _new_cursor(self, row: int, col: int) -> _CursorPrediction:
        cursor = _CursorPrediction(row, col, self.prediction_epoch, self.local_frame_sent + 1)
        self._cursors.append(cursor)
        return cursor

    def _row(self, row: int, width: int) -> list[_CellPrediction]:
        cells = self._rows.get(row)
        if cells is None:
            cells = self._rows[row] = [_CellPrediction() for _ in range(width)]
        self._live.add(row)
        return cells

    def _start(self, cell: _CellPrediction, frame: Frame, row: int, col: int, now: int) -> None:
        cell.start(self.prediction_epoch, self.local_frame_sent + 1, now, frame.cell(row, col))

    def _print(self, char: int, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame)
        if char == _DEL:
            self._backspace(cursor, frame, now)
        elif wcwidth(char) != 1:
            self._become_tentative()
        else:
            self._insert(chr(char), cursor, frame, now)

    def _insert(self, char: str, cursor: _CursorPrediction, frame: Frame, now: int) -> None:
        """A printable character of width 1 goes in at the predicted cursor."""
        width, row, col = frame.width, cursor.row, cursor.col
        cells = self._row(row, width)
        if col + 1 >= width:
            self._become_tentative()  # the last column: a shell wraps, an editor may not
        if not self.overwrite:
            for target in range(width - 1, col, -1):
                self._shift(cells, target, target - 1, frame, row, now, target == width - 1)
        cell = cells[col]
        self._start(cell, frame, row, col, now)
        cell.replacement = Cell(char, self._left_renditions(cells, frame, row, col))
        cursor.expire(self.local_frame_sent + 1, now)
        if col < width - 1:
            cursor.col += 1
        else:
            self._become_tentative()
            self._newline(frame, now)

    def _left_renditions(
        self, cells: list[_CellPrediction], frame: Frame, row: int, col: int
    ) -> Renditions:
        """A typed character looks like its left neighbour (the pen's renditions in column 0)."""
        if col == 0:
            return frame.renditions
        left = cells[col - 1]
        if left.active and not left.unknown:
            return left.replacement.renditions
        return frame.cell(row, col - 1).renditions

    def _shift(
        self,
        cells: list[_CellPrediction],
        target: int,
        source: int,
        frame: Frame,
        row: int,
        now: int,
        unknown: bool,
    ) -> None:
        """Predict that cell ``target`` will show what cell ``source`` shows (or will)."""
        cell, donor = cells[target], cells[source]
        self._start(cell, frame, row, target, now)
        if unknown or (donor.active and donor.unknown):
            cell.unknown = True
        elif donor.active:
            cell.replacement = donor.replacement
        else:
            cell.replacement = frame.cell(row, source)

    def _backspace(self, cursor: _CursorPrediction, frame: Frame, now: int) -> None:
        """DEL: the cursor steps left and the rest of the row follows (or a space, overwriting)."""
        if cursor.col == 0:
            return
        cursor.col -= 1
        cursor.expire(self.local_frame_sent + 1, now)
        width, row, col = frame.width, cursor.row, cursor.col
        cells = self._row(row, width)
        if self.overwrite:
            self._start(cells[col], frame, row, col, now)
            cells[col].replacement = Cell(" ", frame.cell(row, col).renditions)
            return
        for target in range(col, width):
            unknown = target + 2 >= width
            self._shift(cells, target, min(target + 1, width - 1), frame, row, now, unknown)

    def _arrow(self, step: int, frame: Frame, now: int) -> None:
        cursor = self._cursor(frame)
        if 0 <= cursor.col + step < frame.width:
            cursor.col += step
            cursor.expire(self.local_frame_sent + 1, now)

    def _newline(self, frame: Frame, now: int) -> None:
        """CR (or a wrap): column 0 of the next row; on the last row, expect it blanked."""
        cursor = self._cursor(frame)
        cursor.col = 0
        if cursor.row < frame.height - 1:
            cursor.row += 1
            return
        for cell in self._row(cursor.row, frame.width):
            cell.active = True
            cell.epoch = self.prediction_epoch
            cell.expire(self.local_frame_sent + 1, now)
            cell.replacement = Cell("", cell.replacement.renditions)

    # -- output ---------------------------------------------------------------

    def active(self) -> bool:
        """True while any prediction waits to be judged."""
        if self._cursors:
            return True
        rows = self._rows
        return any(cell.active for row_num in self._live for cell in rows[row_num])

    def showing(self) -> bool:
        """Whether predictions are displayed now (mode and link-quality triggers)."""
        if self.mode == NEVER:
            return False
        if self.mode != ADAPTIVE:
            return True
        return self.srtt_trigger or self.glitch_trigger > 0

    def wait_time(self, now: int) -> int | None:
        """When the timing triggers next need a look (absolute ms), or None."""
        if self.glitch_trigger and self.flagging:
            return None
        return now + TIMING_WAKEUP if self.active() else None

    def apply(self, frame: Frame) -> Frame:
        """``frame`` with the visible predictions drawn in (underlined if flagging)."""
        if not self.showing() or not (self._live or self._cursors):
            return frame
        rows = frame.rows
        changed: dict[int, Row] = {}
        for row_num in self._live:
            row = self._overlay_row(rows[row_num], self._rows[row_num], frame.width)
            if row is not rows[row_num]:
                changed[row_num] = row
        cursor = (frame.cursor_row, frame.cursor_col)
        for prediction in self._cursors:
            if not prediction.tentative(self.confirmed_epoch):
                cursor = (prediction.row, prediction.col)
        if not changed and cursor == (frame.cursor_row, frame.cursor_col):
            return frame
        if changed:
            rows = tuple(changed.get(num, row) for num, row in enumerate(rows))
        return frame.with_changes(rows=rows, cursor_row=cursor[0], cursor_col=cursor[1])

    def _overlay_row(self, row: Row, cells: list[_CellPrediction], width: int) -> Row:
        """``row`` with its visible predictions drawn in (the same object if none shows)."""
        confirmed, flag, last = self.confirmed_epoch, self.flagging, width - 1
        actual = row.cells
        shown: list[Cell] | None = None
        for col, cell in enumerate(cells):
            if cell.active and cell.epoch <= confirmed:
                if not cell.unknown and cell.replacement == actual[col]:
                    continue  # shown as it is (the common case: a shifted blank)
                new = cell.overlay(actual[col], flag, col == last)
                if new is not actual[col]:
                    if shown is None:
                        shown = list(actual)
                    shown[col] = new
        return row if shown is None else Row(tuple(shown), row.wrap, row.gen)
