"""The server's main-loop logic (PROTOCOL.md 7.9, 12.3) with every I/O step left to a driver.

The driver (``moshz.runtime.serve``) feeds in transport events, pty output
and signals, calls ``tick`` once per loop iteration, and carries out what the
session asks: bytes for the pty, a window size, the release of the held
child, a utmp label, messages for stderr, and the end of the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moshz.server.echo_ack import EchoAck
from moshz.server.input import InputTranslator
from moshz.ssp.events import (
    DatagramRejected,
    PeerShutdownAcknowledged,
    RemoteStateChanged,
    ShutdownAcknowledged,
    ShutdownTimedOut,
)
from moshz.ssp.transport import earliest
from moshz.statesync.terminal import MAX_CELLS, TerminalState
from moshz.wire.messages import Keystroke, Resize

if TYPE_CHECKING:
    from moshz.ssp.transport import Transport
    from moshz.statesync.user import UserStream
    from moshz.term.emulator import Emulator

NO_CLIENT_TIMEOUT = 60000
UNCONNECTED_POLL = 5000
UTMP_DETACH_AFTER = 30000
MAX_SIDE = 0xFFFF  # a pty's window size fields are 16 bits
_FINAL_EVENTS = (ShutdownAcknowledged, PeerShutdownAcknowledged, ShutdownTimedOut)


@dataclass(frozen=True)
class IdleLimits:
    """MOSH_SERVER_NETWORK_TMOUT and MOSH_SERVER_SIGNAL_TMOUT in ms (0: not set)."""

    network: int = 0
    signal: int = 0


def parse_idle_seconds(name: str, value: str | None) -> tuple[int, str]:
    """An idle-timeout variable as ms (0 if unset or invalid) and mosh's complaint, if any."""
    if not value:
        return 0, ""
    try:
        seconds = int(value.strip())
    except ValueError:
        return 0, f"{name} not a valid integer, ignoring"
    if seconds < 0:
        return 0, f"{name} is negative, ignoring"
    return seconds * 1000, ""


class ServerSession:
    """Terminal, transport and the rules that join them, for one server process."""

    def __init__(
        self,
        transport: Transport[TerminalState, UserStream],
        emulator: Emulator,
        now: int,
        limits: IdleLimits = IdleLimits(),
    ) -> None:
        self.transport = transport
        self.emulator = emulator
        self.limits = limits
        self.started = now
        self.echo = EchoAck()
        self.translator = InputTranslator()
        self.consumed: UserStream = transport.remote_state
        self.finished = False
        self.messages: list[str] = []
        self.rejected = 0
        self.release_due = False
        self.released = False
        self.window_size: tuple[int, int] | None = None  # latest size the pty must get
        self.client_ip: str | None = None  # set while attached (for utmp)
        self._client_addr: Any = None
        self._to_pty = bytearray()

    # -- inputs ---------------------------------------------------------------

    def handle_event(self, event: object, now: int) -> None:
        """React to one transport event."""
        if isinstance(event, RemoteStateChanged):
            self._consume_input(now)
        elif isinstance(event, DatagramRejected):
            self.rejected += 1
        elif isinstance(event, _FINAL_EVENTS):
            self.finished = True

    def pty_output(self, data: bytes, now: int) -> None:
        """Run the application's output through the emulator and publish the screen."""
        self.emulator.feed(data)
        self._to_pty += self.emulator.take_replies()
        self._publish(now)

    def pty_closed(self, now: int) -> None:
        """The application is gone (EOF/EIO or a failed write): say goodbye to the client."""
        self.transport.start_shutdown(now)

    def terminate(self, now: int) -> None:
        """SIGTERM or SIGINT."""
        self._shutdown_or_exit(now)

    def user_signal(self, now: int) -> None:
        """SIGUSR1: end the session if the client has been quiet long enough."""
        idle = self._idle(now)
        if not self.limits.signal or idle >= self.limits.signal:
            self.messages.append(f"Network idle for {idle // 1000} seconds when SIGUSR1 received")
            self._shutdown_or_exit(now)

    # -- outputs --------------------------------------------------------------

    def take_pty_input(self) -> bytes:
        """User input and terminal answers owed to the application, in order."""
        data = bytes(self._to_pty)
        self._to_pty.clear()
        return data

    def take_messages(self) -> list[str]:
        """Lines for stderr (the log) since the last call."""
        messages, self.messages = self.messages, []
        return messages

    def tick(self, now: int) -> int | None:
        """Timers of one loop iteration; returns when the session next needs a tick."""
        idle = self._idle(now)
        if self.limits.network and idle >= self.limits.network:
            self.messages.append(f"Network idle for {idle // 1000} seconds.")
            self._shutdown_or_exit(now)
        if self.client_ip is not None and idle > UTMP_DETACH_AFTER:
            self.client_ip = None
            self._client_addr = None
        if self.echo.update(now):
            self._publish(now)
        if not self._heard_client() and now - self.started >= NO_CLIENT_TIMEOUT:
            self.messages.append(f"No connection within {NO_CLIENT_TIMEOUT // 1000} seconds.")
            self.finished = True
        return self._deadline(now)

    # -- internals ------------------------------------------------------------

    def _heard_client(self) -> bool:
        return self.transport.remote_state_num != 0

    def _idle(self, now: int) -> int:
        return now - self.transport.remote_state_time

    def _shutdown_or_exit(self, now: int) -> None:
        transport = self.transport
        if transport.has_remote_addr and not transport.shutdown_in_progress:
            transport.start_shutdown(now)
        else:
            self.finished = True

    def _publish(self, now: int) -> None:
        if not self.transport.shutdown_in_progress:
            state = TerminalState(self.emulator.frame(), self.echo.value)
            self.transport.set_local_state(state, now)

    def _consume_input(self, now: int) -> None:
        remote = self.transport.remote_state
        events = remote.events_since(self.consumed)
        self.consumed = remote
        self._apply_events(events)
        if events:
            self.echo.register_input(self.transport.remote_state_num, now)
        self._publish(now)
        self._note_client()
        if not self.released:
            self.released = self.release_due = True

    def _apply_events(self, events: list[Keystroke | Resize]) -> None:
        application_keys = self.emulator.frame().application_cursor_keys
        for index, event in enumerate(events):
            if isinstance(event, Keystroke):
                self._to_pty += self.translator.translate(event.keys, application_keys)
            elif not _next_is_resize(events, index) and _usable_size(event):
                self.window_size = (event.width, event.height)
                self.emulator.resize(event.width, event.height)

    def _note_client(self) -> None:
        addr = self.transport.remote_addr
        if addr is not None and (self.client_ip is None or addr != self._client_addr):
            self._client_addr = addr
            self.client_ip = str(addr[0])

    def _deadline(self, now: int) -> int | None:
        candidates = [self.echo.next_wakeup()]
        if not self._heard_client():
            candidates.append(self.started + NO_CLIENT_TIMEOUT)
        if not self._heard_client() or self.transport.shutdown_in_progress:
            candidates.append(now + UNCONNECTED_POLL)
        if self.limits.network:
            candidates.append(self.transport.remote_state_time + self.limits.network)
        if self.client_ip is not None:
            candidates.append(self.transport.remote_state_time + UTMP_DETACH_AFTER + 1)
        return earliest(*candidates)


def _next_is_resize(events: list[Keystroke | Resize], index: int) -> bool:
    return index + 1 < len(events) and isinstance(events[index + 1], Resize)


def _usable_size(event: Resize) -> bool:
    """A size a pty can take (16-bit fields) that does not exhaust memory; others are ignored."""
    width, height = event.width, event.height
    return 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE and width * height <= MAX_CELLS
