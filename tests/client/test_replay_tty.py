"""Replay of real mosh-client's session ``client_tty``: the same datagrams and keys in, the same
terminal bytes out (vectors/mosh_session_client_tty.json, TERM=xterm-256color, 80x24)."""

from __future__ import annotations

import json

from moshz.client.escape import escape_config
from moshz.client.session import ClientConfig, ClientSession, client_transport
from moshz.crypto.key import parse_key
from moshz.term.display import close_sequence
from moshz.term.emulator import Emulator
from tests.vectors import VECTORS


VECTOR = VECTORS / "mosh_session_client_tty.json"
SERVER = ("127.0.0.1", 60106)
# What the user typed, and when (seconds on the capture's clock): each just before the
# client datagram it caused.
KEYS = ((3.42, b"echo hi"), (3.73, b"\r"), (4.5, b"\x1e"), (5.54, b"."))
# Our clock lines up with the recorded client's 16-bit timestamps (its first datagram, at
# 1.430859 s, carried 49079), so the server's timestamp replies give real RTT samples.
CLOCK_OFFSET = 49079 - 1430 + 15 * 65536
CLIENT_START = 1430
CONFIG = ClientConfig(
    ip=SERVER[0],
    port=SERVER[1],
    escape=escape_config(None),
    smcup=b"\x1b[?1049h\x1b[22;0;0t",
    rmcup=b"\x1b[?1049l\x1b[23;0;0t",
    title_prefix="[mosh] ",
)


def replay() -> tuple[bytes, bytes, ClientSession]:
    capture = json.loads(VECTOR.read_text())
    start = CLOCK_OFFSET
    key = parse_key(capture["key"])
    transport = client_transport(key, 80, 24, SERVER, start + CLIENT_START, lambda n: bytes(n))
    session = ClientSession(transport, 80, 24, start + CLIENT_START, CONFIG)
    out = session.open_bytes() + session.initial_paint()
    keys = list(KEYS)
    for datagram in capture["datagrams"]:
        if datagram["dir"] != "s2c":
            continue
        now = start + int(datagram["t"] * 1000)
        while keys and keys[0][0] < datagram["t"]:
            moment, data = keys.pop(0)
            out += step(session, start + int(moment * 1000))
            session.user_input(data, start + int(moment * 1000))
        out += step(session, now)
        transport.receive_datagram(bytes.fromhex(datagram["hex"]), SERVER, now)
        for event in iter(transport.next_event, None):
            session.handle_event(event, now)
        out += step(session, now)
    return out, capture["client_tty_output_hex"], session


def step(session: ClientSession, now: int) -> bytes:
    session.tick(now)
    data = session.render(now)
    session.transport.datagrams_to_send(now)
    return data


def test_replay_paints_what_mosh_client_painted() -> None:
    """Byte for byte, from the terminal set-up to the last bar before the exit."""
    out, expected_hex, session = replay()
    assert session.finished and session.clean
    assert out == bytes.fromhex(expected_hex)[: len(out)]


def test_replay_exit_restores_the_screen_and_the_terminal() -> None:
    """The last frame may take other (equivalent) bytes: mosh's blank rows share one
    generation, so it scrolls where moshz just erases the bar; the screens agree."""
    out, expected_hex, session = replay()
    expected = bytes.fromhex(expected_hex)
    close = close_sequence(CONFIG.rmcup)
    closing = session.close_bytes(session.transport.remote_state_time)
    assert closing.endswith(close)
    assert expected.endswith(close + b"[mosh is exiting.]\r\n")
    mine, theirs = Emulator(80, 24), Emulator(80, 24)
    mine.feed(out + closing[: -len(close)])
    theirs.feed(expected[: expected.rindex(close)])
    assert list(mine.frame().lines()) == list(theirs.frame().lines())
    assert list(mine.frame().lines())[1:4] == ["$ echo hi".ljust(80), "hi".ljust(80), "$".ljust(80)]
