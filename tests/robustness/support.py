"""What the robustness tests check after bad input: the exit, the message, the leftovers.

`run_detached` runs a command in a session of its own without a terminal, so that
afterwards `session_leftovers` can tell whether it left any process behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from tests.tools.tmux import Pane, Tmux
from tests.tools.wait import wait_until

REPO = Path(__file__).resolve().parents[2]
# Runs moshz.cli.main with argv[0] and the arguments given after the code.
RUN_AS = "import sys; sys.argv = sys.argv[1:]; from moshz.cli import main; sys.exit(main())"
# Runs "$@" between two snapshots of the terminal's settings, notes its status, stays open
# (a Ctrl-C meant for "$@" does not end this shell: a trap, unlike an ignore, is not inherited).
AROUND = (
    'trap : INT; stty -g >"$0.before"; "$@"; s=$?; stty -g >"$0.after"; echo $s >"$0.status";'
    " exec cat"
)
# Modes as a shell leaves them: main screen, cursor shown, normal keypad, no mouse, no insert.
RESTORED_MODES = "0 1 0 0 0 0"
MODES = (
    "#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{mouse_any_flag}"
    " #{insert_flag} #{origin_flag}"
)
ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": os.environ.get("HOME", "/root"),
    "TERM": "xterm-256color",
    "LANG": "C.UTF-8",
}


class Outcome(NamedTuple):
    """How a command ended: its status, its output and the processes it left running."""

    status: int
    stdout: str
    stderr: str
    leftovers: frozenset[int]


def run_detached(argv: Sequence[str], env: Mapping[str, str] | None = None) -> Outcome:
    """Run argv without a terminal in a new session; collect what it printed and left behind."""
    with subprocess.Popen(
        list(argv),
        env={**ENV, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        stdout, stderr = process.communicate(timeout=60)
    # The child led a session of its own: its pid is the session id of all it started.
    return Outcome(process.returncode, stdout, stderr, session_leftovers(process.pid))


def moshz(*args: str, name: str = "moshz", env: Mapping[str, str] | None = None) -> Outcome:
    """moshz from this source tree, called `name`, with `args` and extra environment."""
    argv = [sys.executable, "-c", RUN_AS, f"/somewhere/{name}", *args]
    return run_detached(argv, {"PYTHONPATH": str(REPO), **(env or {})})


def session_leftovers(session: int) -> frozenset[int]:
    """Live processes (not zombies) of session `session`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[4]) == session and fields[0] != b"Z":
            found.add(int(entry.name))
    return frozenset(found)


def assert_clean_failure(outcome: Outcome, status: int, first_line: str) -> None:
    """The command failed with `status`, said `first_line` first, without a traceback or leftovers."""
    report = f"status {outcome.status}\nstdout:\n{outcome.stdout}\nstderr:\n{outcome.stderr}"
    assert outcome.status == status, report
    assert outcome.stderr.splitlines()[:1] == [first_line], report
    assert "Traceback" not in outcome.stderr + outcome.stdout, report
    assert not outcome.leftovers, f"left running: {sorted(outcome.leftovers)}\n{report}"


def udp_ports(pid: int) -> list[int]:
    """The local ports of the UDP sockets process `pid` holds (via /proc/PID/fd and /proc/net)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = []
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(ports)


def around(argv: Sequence[str], record: Path) -> list[str]:
    """argv run by a shell that notes the terminal's settings before and after (in `record`.*)."""
    return ["sh", "-c", AROUND, str(record), *argv]


def exit_restored(pane: Pane, record: Path) -> int:
    """Wait for the program started by `around` to end; check the terminal is as it was.

    Returns its exit status.
    """
    status_file = Path(f"{record}.status")
    wait_until(lambda: status_file.exists() and status_file.read_text(), 30, "the end", pane.dump)
    status = int(status_file.read_text())
    assert pane.info(MODES) == RESTORED_MODES, f"modes left: {pane.info(MODES)}\n{pane.dump()}"
    before, after = (Path(f"{record}.{when}").read_text() for when in ("before", "after"))
    assert after == before, "terminal settings changed"
    return status


def started_from(tmux: Tmux) -> set[int]:
    """Live processes whose environment says they descend from a pane of `tmux` (TMUX=...)."""
    marker = f"/{tmux.name},".encode()
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(item.startswith(b"TMUX=") and marker in item for item in environ):
            found.add(int(entry.name))
    return found


def assert_nothing_left(tmux: Tmux) -> None:
    """Once its sessions have ended, nothing `tmux`'s panes started still runs but their shells."""

    def extra() -> set[int]:
        panes = {int(pid) for pid in tmux.run("list-panes", "-a", "-F", "#{pane_pid}").split()}
        return started_from(tmux) - panes

    wait_until(lambda: not extra(), 20, "the sessions' processes to end", lambda: str(extra()))
