"""A private tmux server for e2e tests: run programs in panes of a known size and read screens."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from typing import Callable, Mapping, Sequence, Union

from tests.tools.wait import wait_until

DEFAULT_TERM = "tmux-256color"
DEFAULT_TIMEOUT = 15.0
BASE_ENV_NAMES = ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR")

# Server-wide options: no status line (the pane gets the whole window), panes stay after their
# program ends (to read its last screen and status) without tmux writing a notice into them,
# and ESC reaches programs at once.
SERVER_OPTIONS = (
    ("exit-empty", "off"),
    ("status", "off"),
    ("remain-on-exit", "on"),
    ("remain-on-exit-format", ""),
    ("escape-time", "0"),
    ("history-limit", "2000"),
)

Command = Union[str, Sequence[str]]


def tmux_available() -> bool:
    """Say whether e2e tests can use tmux on this machine."""
    return shutil.which("tmux") is not None


def base_environment() -> dict[str, str]:
    """The environment panes start from: a few basics of ours and a UTF-8 locale, nothing else."""
    env = {name: os.environ[name] for name in BASE_ENV_NAMES if name in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["LANG"] = "C.UTF-8"
    return env


class Tmux:
    """One tmux server on its own socket (`tmux -L <unique>`, no config file), killed by `kill()`."""

    def __init__(self, term: str = DEFAULT_TERM, env: Mapping[str, str] | None = None) -> None:
        self.name = f"moshz-{os.getpid()}-{secrets.token_hex(4)}"
        self.term = term
        self.env = dict(base_environment() if env is None else env)
        self._started = False

    def run(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        """Run one tmux command against this server and return its standard output."""
        result = subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args],
            env=dict(self.env if env is None else env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self) -> None:
        """Start the server with our options (done once, by the first pane)."""
        if self._started:
            return
        args: list[str] = ["start-server"]
        for name, value in SERVER_OPTIONS + (("default-terminal", self.term),):
            args += [";", "set-option", "-g", name, value]
        self.run(*args)
        self._started = True

    def new_pane(
        self,
        command: Command,
        width: int = 80,
        height: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> Pane:
        """Run `command` (argv, or one shell command line) in a new window of the given size.

        `env` adds to (or overrides) the base environment; values travel in the tmux client's
        environment, never on a command line, so secrets such as MOSH_KEY stay out of argv.
        """
        self.start()
        extra = dict(env or {})
        argv = [command] if isinstance(command, str) else list(command)
        args = ["set-option", "-g", "update-environment", " ".join(extra), ";"]
        args += ["new-session", "-d", "-x", str(width), "-y", str(height)]
        args += ["-P", "-F", "#{pane_id}", "-c", cwd or self.env.get("HOME", "/")]
        pane_id = self.run(*args, *argv, env={**self.env, **extra}).strip()
        return Pane(self, pane_id)

    def kill(self) -> None:
        """Stop the server and every program still running in its panes."""
        if self._started:
            subprocess.run(
                ["tmux", "-L", self.name, "kill-server"],
                capture_output=True,
                timeout=30,
                check=False,
            )
            self._started = False


class Pane:
    """One pane (alone in its window): keys in, screen out, size and life of its program."""

    def __init__(self, tmux: Tmux, pane_id: str) -> None:
        self.tmux = tmux
        self.pane_id = pane_id

    def info(self, fmt: str) -> str:
        """Expand a tmux format (`#{...}`) for this pane."""
        return self.tmux.run("display-message", "-p", "-t", self.pane_id, fmt).rstrip("\n")

    def send_text(self, text: str) -> None:
        """Type `text` literally (no key-name interpretation)."""
        self.tmux.run("send-keys", "-t", self.pane_id, "-l", "--", text)

    def send_keys(self, *keys: str) -> None:
        """Press named keys, e.g. "Enter", "C-c", "Escape", "BSpace", "Up", "F1"."""
        self.tmux.run("send-keys", "-t", self.pane_id, "--", *keys)

    def send_bytes(self, data: bytes) -> None:
        """Deliver raw bytes to the program, e.g. b"\\x1e." for mosh's escape key and a dot."""
        self.tmux.run("send-keys", "-t", self.pane_id, "-H", *(f"{b:02x}" for b in data))

    def line(self, text: str) -> None:
        """Type `text` and press Enter."""
        self.send_text(text)
        self.send_keys("Enter")

    def capture(self, attributes: bool = False) -> str:
        """The visible screen, one line per row; with `attributes`, SGR sequences included."""
        flags = ["-p", "-e"] if attributes else ["-p"]
        return self.tmux.run("capture-pane", *flags, "-t", self.pane_id)

    def rows(self, attributes: bool = False) -> list[str]:
        """The visible screen as a list of rows (see `capture`)."""
        return self.capture(attributes).split("\n")[:-1]

    def cursor(self) -> tuple[int, int]:
        """The cursor position as (column, row), both from 0."""
        x, y = self.info("#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def size(self) -> tuple[int, int]:
        """The pane size as (columns, rows)."""
        w, h = self.info("#{pane_width} #{pane_height}").split()
        return int(w), int(h)

    def resize(self, width: int, height: int) -> None:
        """Change the window (and so the pane) size; the program gets SIGWINCH."""
        self.tmux.run("resize-window", "-t", self.pane_id, "-x", str(width), "-y", str(height))

    def pid(self) -> int:
        """The process id of the pane's program."""
        return int(self.info("#{pane_pid}"))

    def is_dead(self) -> bool:
        """Say whether the pane's program has exited (its terminal is closed)."""
        return self.info("#{pane_dead}") == "1"

    def ending(self) -> tuple[str, str] | None:
        """(exit status, signal number) of an exited program, one of them "", or None while
        tmux does not know yet."""
        status, sig = self.info("#{pane_dead_status}:#{pane_dead_signal}").split(":")
        return (status, sig) if status or sig else None

    def _collected(self) -> bool:
        """Say whether tmux has the program's exit status; if not, make it look again.

        tmux 3.3 sometimes misses the SIGCHLD of a pane's program; any other child of the
        server exiting makes it collect every exited child, so run a trivial job.
        """
        if self.ending() is not None:
            return True
        self.tmux.run("run-shell", "true")
        return self.ending() is not None

    def exit_status(self) -> int | None:
        """The program's exit status once it has exited normally (None while running or killed)."""
        ending = self.ending()
        return int(ending[0]) if ending and ending[0] else None

    def dump(self) -> str:
        """The screen framed for failure messages, with cursor and state."""
        body = "\n".join(f"|{row}" for row in self.rows())
        state = "exited" if self.is_dead() else "running"
        return f"screen of {self.pane_id} ({state}, cursor {self.cursor()}):\n{body}\n"

    def wait_for(
        self,
        predicate: Callable[[str], bool],
        what: str,
        timeout: float = DEFAULT_TIMEOUT,
        attributes: bool = False,
    ) -> str:
        """Poll the screen until `predicate(screen)` holds and return that screen."""

        def probe() -> str | None:
            screen = self.capture(attributes)
            return screen if predicate(screen) else None

        return wait_until(probe, timeout, what, self.dump)

    def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Poll until `text` shows anywhere on the screen."""
        return self.wait_for(lambda screen: text in screen, repr(text), timeout)

    def wait_for_row(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Poll until a row reads exactly `text` (trailing blanks ignored); return its index."""
        found = self.wait_for(lambda s: text in s.split("\n"), f"a row {text!r}", timeout)
        return found.split("\n").index(text)

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int | None:
        """Poll until the program exits; return its status (None if killed by a signal)."""
        wait_until(self.is_dead, timeout, f"{self.pane_id} to exit", self.dump)
        wait_until(self._collected, timeout, f"tmux to collect {self.pane_id}'s status")
        return self.exit_status()
