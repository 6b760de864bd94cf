"""Local echo end to end: the moshz client over a 200 ms round trip, in tmux.

The server (real ``mosh-server`` or ``moshz --server``) runs here with a bare
bash; the client reaches it through the impairment relay (100 ms each way),
the key in MOSH_KEY only. To tell a prediction from an echo without timing
anything, the relay's server-to-client direction is held in an outage while
a key is typed: whatever shows up then was drawn by the client itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pytest

from tests.tools.bootstrap import LocalStart, start_local_server
from tests.tools.fixtures import RelayFactory
from tests.tools.procs import descendants, terminate
from tests.tools.relay import Impairment, Relay
from tests.tools.sgr import canonical_rows
from tests.tools.tmux import Pane, Tmux, base_environment

pytestmark = pytest.mark.e2e

PROMPT = "pz$ "
SHELL = ("bash", "--norc", "--noprofile")
ONE_WAY = Impairment(delay_ms=100)
UNDERLINED = "\x1b[0;4m"
LOCAL_WAIT = 2.0  # how long a held-back key may take to be drawn locally
ATTEMPTS = 3

Opener = Callable[[str], "Session"]


@dataclass(frozen=True)
class Session:
    """A client pane talking to a server through a relay."""

    pane: Pane
    relay: Relay


def start_server(server: Sequence[str], files: Path) -> LocalStart:
    """A detached server running the bare shell with our prompt (its output in `files`)."""
    env = {**base_environment(), "PS1": PROMPT, "MOSH_SERVER_NETWORK_TMOUT": "60"}
    files.mkdir()
    return start_local_server([*server, "new", "-p", "0", "--", *SHELL], env, files)


@pytest.fixture(params=["mosh-server", "moshz"])
def server_argv(request: pytest.FixtureRequest, moshz_file: str) -> list[str]:
    """The server command: Debian's mosh-server, or the one-file moshz."""
    return ["mosh-server"] if request.param == "mosh-server" else [moshz_file, "--server"]


@pytest.fixture
def open_session(
    server_argv: list[str],
    tmux: Tmux,
    relay_factory: RelayFactory,
    moshz_file: str,
    tmp_path: Path,
) -> Iterator[Opener]:
    """``open(mode)`` starts a server, a relay and the moshz client with that prediction mode."""
    servers: list[int] = []

    def open_(mode: str) -> Session:
        port, key, pid, _ = start_server(server_argv, tmp_path / f"server{len(servers)}")
        servers.append(pid)
        relay = relay_factory(port, up=ONE_WAY, down=ONE_WAY)
        env = {"MOSH_KEY": key, "MOSH_PREDICTION_DISPLAY": mode}
        pane = tmux.new_pane([moshz_file, "--client", "127.0.0.1", str(relay.port)], env=env)
        pane.wait_for_text(PROMPT.rstrip(), timeout=30)
        return Session(pane, relay)

    try:
        yield open_
    finally:
        for pid in servers:
            terminate({pid} | descendants(pid))


def appears(probe: Callable[[], bool], seconds: float) -> bool:
    """Whether ``probe`` becomes true within ``seconds`` (polling; no failure either way)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(0.02)
    return probe()


def row_of(pane: Pane, start: str) -> str:
    """The last screen row that starts with ``start`` ("" if none), without trailing blanks."""
    rows = [row.rstrip() for row in pane.rows() if row.startswith(start)]
    return rows[-1] if rows else ""


@dataclass
class Line:
    """The row being typed on (found by how it starts) and the text the server has echoed."""

    session: Session
    start: str
    text: str

    def shown(self) -> str:
        """The row as the screen shows it now."""
        return row_of(self.session.pane, self.start)

    def echo(self, keys: str) -> None:
        """Type ``keys`` and wait for the server's echo."""
        self.session.pane.send_text(keys)
        self.text += keys
        self.session.pane.wait_for(lambda _: self.shown() == self.text, f"{self.text!r}")

    def held(self, key: str) -> tuple[str, ...] | None:
        """Type ``key`` while the server's datagrams are held back; the screen if it shows."""
        pane, relay = self.session.pane, self.session.relay
        relay.outage(direction="down")
        try:
            pane.send_text(key)
            drawn = appears(lambda: self.shown() == self.text + key, LOCAL_WAIT)
            screen = canonical_rows(pane.capture(attributes=True)) if drawn else None
        finally:
            relay.end_outage()
        self.text += key
        pane.wait_for(lambda _: self.shown() == self.text, f"the echo of {key!r}")
        return screen

    def plain(self) -> bool:
        """The row shows the echoed text with no attributes (no prediction left on it)."""
        return self.text in canonical_rows(self.session.pane.capture(attributes=True))


def drawn_before_echo(line: Line, keys: str) -> tuple[str, tuple[str, ...]]:
    """The first of ``keys`` the client draws while the server is held back, and that screen.

    The first keys may go before the echo ack of an earlier one has confirmed
    the prediction epoch, so a few are tried.
    """
    for key in keys:
        screen = line.held(key)
        if screen is not None:
            return key, screen
    raise AssertionError(f"none of {keys!r} was drawn before its echo:\n{line.session.pane.dump()}")


@pytest.mark.parametrize("mode", ["always", "adaptive"])
def test_typed_key_is_drawn_before_its_echo(open_session: Opener, mode: str) -> None:
    line = Line(open_session(mode), PROMPT, PROMPT)
    line.echo("e")
    key, screen = drawn_before_echo(line, "cho")
    assert any(row.endswith(UNDERLINED + key) for row in screen), screen  # a slow link: flagged
    line.session.pane.wait_for(lambda _: line.plain(), "the echo in place of the prediction")


def test_never_mode_waits_for_the_echo(open_session: Opener) -> None:
    line = Line(open_session("never"), PROMPT, PROMPT)
    line.echo("e")
    relay = line.session.relay
    relay.outage(direction="down")
    try:
        line.session.pane.send_text("c")
        assert not appears(lambda: line.shown() != line.text, 1.0), line.session.pane.dump()
    finally:
        relay.end_outage()
    line.text += "c"
    line.session.pane.wait_for(lambda _: line.shown() == line.text, "the echo")


def test_password_prompt_shows_nothing_typed(open_session: Opener) -> None:
    session = open_session("always")
    pane, relay = session.pane, session.relay
    Line(session, PROMPT, PROMPT).echo("echo ready")
    pane.send_keys("Enter")
    pane.line("read -s -p 'Password: ' pw; echo \"got ${#pw}\"")
    pane.wait_for_row("Password:")
    prompt = pane.capture()
    for index, key in enumerate("kk77kk"):
        if index % 2:
            relay.outage(direction="down")
        pane.send_text(key)
        for _ in range(15):
            assert pane.capture() == prompt, pane.dump()
        relay.end_outage()
    pane.send_keys("Enter")
    pane.wait_for_row("Password: got 6")


def settle_on(pane: Pane, before: str, after: str) -> None:
    """The first row goes from ``before`` to ``after`` with nothing else shown, and stays."""

    def first_row() -> str:
        row = pane.rows()[0].rstrip()
        assert row in (before, after), pane.dump()
        return row

    assert appears(lambda: first_row() == after, 15.0), pane.dump()
    for _ in range(10):
        assert first_row() == after
        time.sleep(0.03)


def test_vi_command_mode_leaves_no_wrong_character(open_session: Opener, tmp_path: Path) -> None:
    session = open_session("always")
    pane = session.pane
    text = tmp_path / "vi.txt"
    text.write_text("hello world\n")
    pane.line(f"vim -u NONE -N -n -i NONE {text}")
    pane.wait_for(lambda s: s.startswith("hello world\n~"), "vim's screen")
    pane.send_text("A")
    pane.wait_for(lambda _: pane.cursor() == (11, 0), "append mode")
    line = Line(session, "hello", "hello world")
    line.echo("XY")
    drawn_before_echo(line, "Z12")  # insert mode: typing is predicted
    typed = line.text
    pane.send_keys("Escape")
    pane.wait_for(lambda _: pane.cursor() == (len(typed) - 1, 0), "command mode")
    after = typed[1:6] + typed[7:]
    steps = [("0", typed), ("x", typed[1:]), ("w", typed[1:]), ("x", after)]
    steps += [("$", after), ("x", after[:-1]), ("b", after[:-1])]
    shown = typed
    for key, expected in steps:
        pane.send_text(key)
        settle_on(pane, shown, expected)
        shown = expected
    pane.send_text(":q!")
    pane.send_keys("Enter")
    pane.wait_for_row(PROMPT.rstrip())
