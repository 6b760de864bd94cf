"""The remote shell every session runs: a plain bash with a known prompt in a work directory."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, List, Sequence

from bench.sessions.launch import SessionError
from tests.tools.tmux import Pane

Check = Callable[[List[str]], bool]

PROMPT = "bench$ "
POLL_S = 0.01
LIFE_CHECK_S = 0.5
TIMED_SCRIPT = """\
#!/bin/bash
# timed NAME COMMAND...: run COMMAND, store its start and end times in NAME.t, print NAME-done
name=$1
shift
start=$EPOCHREALTIME
"$@"
end=$EPOCHREALTIME
echo "$start $end" >"$name.t"
printf '%s-done\\n' "$name"
"""


def shell_command(workdir: Path) -> list[str]:
    """argv for the server: bash without start-up files, prompt PROMPT, in `workdir`."""
    script = 'cd "$1" && exec env PS1="$2" HISTFILE=/dev/null bash --noprofile --norc'
    return ["sh", "-c", script, "sh", str(workdir), PROMPT]


def install_timed(workdir: Path) -> None:
    """Put the `timed` helper into the work directory."""
    path = workdir / "timed"
    path.write_text(TIMED_SCRIPT)
    os.chmod(path, 0o755)


def screen_rows(pane: Pane) -> list[str]:
    """The pane's rows without trailing blanks, trailing empty rows dropped."""
    rows = [row.rstrip() for row in pane.rows()]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def poll(pane: Pane, check: Check, timeout: float, what: str, interval: float = POLL_S) -> float:
    """Capture until `check(rows)` holds; return when (perf_counter); raise on timeout or exit."""
    deadline = time.perf_counter() + timeout
    next_life_check = time.perf_counter() + LIFE_CHECK_S
    while True:
        rows = screen_rows(pane)
        now = time.perf_counter()
        if check(rows):
            return now
        if now > deadline or (now > next_life_check and pane.is_dead()):
            raise SessionError(f"no {what} (screen ends {rows[-3:]!r})")
        next_life_check = max(next_life_check, now + LIFE_CHECK_S)
        time.sleep(interval)


def at_prompt(line: str = "") -> Check:
    """A check: the last row is the prompt followed by `line`."""
    wanted = (PROMPT + line).rstrip()
    return lambda rows: bool(rows) and rows[-1] == wanted


def finished(name: str) -> Check:
    """A check: `timed NAME` has printed NAME-done and the prompt came back below it."""
    marker = f"{name}-done"
    return lambda rows: len(rows) >= 2 and rows[-2] == marker and rows[-1] == PROMPT.rstrip()


def type_line(pane: Pane, line: str, timeout: float) -> None:
    """Type `line` at the prompt and wait until the screen shows it (Enter not pressed)."""
    pane.send_text(line)
    poll(pane, at_prompt(line), timeout, f"the typed line {line!r}")


def run_timed(pane: Pane, name: str, command: Sequence[str], timeout: float) -> float:
    """Run `timed NAME command` and return seconds from Enter until the screen shows the end."""
    type_line(pane, " ".join(["./timed", name, *command]), timeout)
    start = time.perf_counter()
    pane.send_keys("Enter")
    return poll(pane, finished(name), timeout, f"{name} to finish") - start


def shell_seconds(workdir: Path, name: str) -> float:
    """Wall seconds the last `timed NAME` took inside the shell, as the shell measured it."""
    start, end = (workdir / f"{name}.t").read_text().split()
    return float(end) - float(start)
