"""Turn `tmux capture-pane -e` output into rows that can be compared one by one.

tmux writes attributes as changes relative to the previous cell, across row ends too, so the
same cells can come out as different bytes. Here every row is re-rendered from the cells'
attributes alone: starting from the default, one canonical SGR sequence at each change.
"""

from __future__ import annotations

import re

ESCAPE = re.compile(r"\x1b\[([0-9;:]*)m")
FLAGS = ("1", "2", "3", "4", "5", "7", "8", "9", "53")
CLEARS = {
    "22": ("1", "2"), "23": ("3",), "24": ("4",), "25": ("5",), "27": ("7",), "28": ("8",),
    "29": ("9",), "55": ("53",), "39": ("fg",), "49": ("bg",), "59": ("ul",),
}  # fmt: skip
EXTENDED = {"38": "fg", "48": "bg", "58": "ul"}
# Canonical order of the attributes within one SGR sequence.
ORDER = (*FLAGS, "fg", "bg", "ul")

State = dict  # attribute slot -> the SGR parameters that set it


DEFAULT = "\x1b[0m"


def _basic_colour(code: int) -> str | None:
    """The slot a one-number colour code sets ("fg" or "bg"), or None."""
    if 30 <= code <= 37 or 90 <= code <= 97:
        return "fg"
    if 40 <= code <= 47 or 100 <= code <= 107:
        return "bg"
    return None


def apply(state: State, params: str) -> None:
    """Update `state` with one SGR sequence's parameters (as tmux writes them)."""
    fields = params.split(";") if params else ["0"]
    index = 0
    while index < len(fields):
        index = _apply_one(state, fields, index)


def _apply_one(state: State, fields: list[str], index: int) -> int:
    """Apply the parameter at `index` (and any it consumes); return the next index."""
    field = fields[index]
    head = field.split(":")[0]
    if head in EXTENDED:
        length = 1 if ":" in field else {"5": 3, "2": 5}.get(_at(fields, index + 1), 1)
        state[EXTENDED[head]] = ";".join(fields[index : index + length])
        return index + length
    if head in ("0", ""):
        state.clear()
    elif head in CLEARS:
        for slot in CLEARS[head]:
            state.pop(slot, None)
    elif head in FLAGS:
        _set_flag(state, head, field)
    elif head.isdigit() and _basic_colour(int(head)):
        state[_basic_colour(int(head))] = head
    return index + 1


def _set_flag(state: State, slot: str, field: str) -> None:
    """Set a flag; `4:0` (underline style "none") clears the underline instead."""
    if field == "4:0":
        state.pop(slot, None)
    else:
        state[slot] = field


def _at(fields: list[str], index: int) -> str:
    return fields[index] if index < len(fields) else ""


def render(state: State) -> str:
    """The one canonical SGR sequence for an attribute state (after a reset)."""
    params = [state[slot] for slot in ORDER if slot in state]
    return "\x1b[" + ";".join(["0", *params]) + "m"


def canonical_rows(capture: str) -> tuple[str, ...]:
    """Rows of a `capture-pane -e` capture, each self-contained and without trailing blanks,
    so equal cells always give equal strings."""
    state: State = {}
    return tuple(_canonical_row(line, state) for line in capture.split("\n")[:-1])


def _canonical_row(line: str, state: State) -> str:
    """Re-render one row, starting from the attributes `state` holds (updated in place)."""
    runs: list[tuple[str, str]] = []
    position = 0
    for match in [*ESCAPE.finditer(line), None]:
        end = match.start() if match else len(line)
        if end > position:
            runs.append((render(state), line[position:end]))
        if match:
            apply(state, match.group(1))
            position = match.end()
    return _join(_trim(runs))


def _trim(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop blanks at the end of a row, whatever their colours: tmux does not capture cells
    erased with a background colour, only ones written, so the two cannot be told apart."""
    while runs and not runs[-1][1].strip(" "):
        runs.pop()
    if runs:
        runs[-1] = (runs[-1][0], runs[-1][1].rstrip(" "))
    return runs


def _join(runs: list[tuple[str, str]]) -> str:
    """Text runs with an SGR sequence wherever the attributes change (default at the start)."""
    out = []
    shown = DEFAULT
    for sgr, text in runs:
        if sgr != shown:
            out.append(sgr)
            shown = sgr
        out.append(text)
    return "".join(out)
