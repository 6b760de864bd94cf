"""mosh-client's main-loop logic (PROTOCOL.md 7.10, 10.3, 11) with every I/O step left to a driver.

The driver (``moshz.runtime.client``) feeds in keystrokes, window sizes,
signals and transport events, calls ``tick`` once per loop iteration and
writes what the session returns to the terminal. The session owns the
overlays (prediction, notification bar, title prefix), the escape key and
the frame last painted on the real terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moshz.client.escape import (
    EscapeConfig,
    EscapeKey,
    HideHelp,
    Keys,
    Quit,
    Repaint,
    ShowHelp,
    Suspend,
)
from moshz.client.notify import NotificationBar
from moshz.client.prediction import PredictionEngine
from moshz.client.title import apply_title_prefix
from moshz.crypto.session import Session
from moshz.ssp.events import (
    Address,
    PeerShutdownAcknowledged,
    ShutdownAcknowledged,
    ShutdownTimedOut,
)
from moshz.ssp.sender import Rand
from moshz.ssp.transport import Transport, earliest
from moshz.statesync.terminal import TerminalState
from moshz.statesync.user import UserStream
from moshz.term.display import (
    DEFAULT_CAPABILITIES,
    Capabilities,
    close_sequence,
    new_frame,
    open_sequence,
)
from moshz.term.frame import Frame

CONNECTING_AFTER = 250
CONNECT_TIMEOUT = 15000
PASTE_BYTES = 100

EXITING = "[mosh is exiting.]\n"
TIMED_OUT = "Timed out waiting for server..."
_CLEAN_EVENTS = (ShutdownAcknowledged, PeerShutdownAcknowledged)


def client_transport(
    key: bytes, width: int, height: int, server: Address, now: int, rand: Rand
) -> Transport[UserStream, TerminalState]:
    """The client's transport: user input out, the server's terminal (blank at first) in."""
    return Transport(
        Session(key),
        is_server=False,
        local=UserStream(),
        remote=TerminalState(Frame.blank(width, height)),
        now=now,
        rand=rand,
        server_addr=server,
    )


@dataclass(frozen=True)
class ClientConfig:
    """Everything the session needs to know besides the transport."""

    ip: str
    port: int
    escape: EscapeConfig
    caps: Capabilities = DEFAULT_CAPABILITIES
    smcup: bytes = b""
    rmcup: bytes = b""
    title_prefix: str = ""
    predict: str = "adaptive"
    predict_overwrite: bool = False


class ClientSession:
    """The client's screen, keyboard and connection rules, for one session."""

    def __init__(
        self,
        transport: Transport[UserStream, TerminalState],
        width: int,
        height: int,
        now: int,
        config: ClientConfig,
    ) -> None:
        self.transport = transport
        self.config = config
        self.started = now
        self.bar = NotificationBar(now, config.escape.quit_hint)
        self.escape = EscapeKey(config.escape)
        self.predictor = PredictionEngine(config.predict, config.predict_overwrite)
        self.title_prefix = config.title_prefix
        self.displayed = Frame.blank(width, height)
        self._titled: tuple[Frame, str, Frame] | None = None  # server frame, prefix, result
        self.repaint_requested = False
        self.suspend_requested = False
        self.finished = False
        self.clean = False
        self._send_error: str | None = None
        transport.set_local_state(transport.local_state.push_resize(width, height), now)

    # -- what the driver writes ---------------------------------------------

    def open_bytes(self) -> bytes:
        """The terminal set-up written at start and after a resume."""
        return open_sequence(self.config.smcup)

    def initial_paint(self) -> bytes:
        """A full repaint of the blank screen of the window's size (mosh's first output)."""
        return new_frame(False, self.displayed, self.displayed, self.config.caps)

    def render(self, now: int) -> bytes:
        """Bytes that bring the terminal to the newest server frame plus overlays."""
        frame = self._overlaid(now)
        if frame == self.displayed and not self.repaint_requested:
            return b""
        data = new_frame(not self.repaint_requested, self.displayed, frame, self.config.caps)
        self.repaint_requested = False
        self.displayed = frame
        return data

    def _overlaid(self, now: int) -> Frame:
        """The server frame with the overlays (the title first: it touches no cell or cursor)."""
        frame = self._with_title(self.transport.remote_state.frame)
        self.predictor.cull(frame, now)
        frame = self.predictor.apply(frame)
        return self.bar.apply(frame, now)

    def _with_title(self, frame: Frame) -> Frame:
        """The title-prefixed ``frame``, built once per server frame (the loop renders often)."""
        titled = self._titled
        if titled is None or titled[0] is not frame or titled[1] != self.title_prefix:
            titled = (frame, self.title_prefix, apply_title_prefix(frame, self.title_prefix))
            self._titled = titled
        return titled[2]

    def close_bytes(self, now: int) -> bytes:
        """The last frame without bar or title prefix, then the terminal restore sequence."""
        self.bar.set_message("", now)
        self.bar.server_heard(now)
        self.bar.server_acked(now)
        self.title_prefix = ""
        return self.render(now) + close_sequence(self.config.rmcup)

    def suspend_bytes(self) -> bytes:
        """What to write before the process stops (Ctrl-^ Ctrl-Z)."""
        return close_sequence(self.config.rmcup)

    def resumed(self) -> bytes:
        """After SIGCONT: set the terminal up again and repaint everything."""
        self.repaint_requested = True
        return self.open_bytes()

    # -- inputs ---------------------------------------------------------------

    def user_input(self, data: bytes, now: int) -> None:
        """Bytes the user typed: prediction, escape key, then the user stream."""
        transport = self.transport
        if transport.shutdown_in_progress:
            return
        if len(data) > PASTE_BYTES:
            self.predictor.reset()
        else:
            self._update_predictor(typing=True)
            self.predictor.new_user_bytes(data, self.displayed, now)
        stream = transport.local_state
        for action in self.escape.feed(data):
            if isinstance(action, Keys):
                stream = stream.push_keys(action.data)
            else:
                self._escape_action(action, now)
        if stream is not transport.local_state and not transport.shutdown_in_progress:
            transport.set_local_state(stream, now)

    def _escape_action(self, action: Any, now: int) -> None:
        help_text = self.config.escape.help_text
        if isinstance(action, ShowHelp):
            self.bar.set_message(help_text, now, permanent=True, show_quit=False)
        elif isinstance(action, HideHelp):
            if self.bar.message == help_text:
                self.bar.set_message("", now)
        elif isinstance(action, Quit):
            self.shut_down("Exiting on user request...", now)
        elif isinstance(action, Suspend):
            self.suspend_requested = True
        elif isinstance(action, Repaint):
            self.repaint_requested = True

    def resize(self, width: int, height: int, now: int) -> None:
        """The window changed size: tell the server; predictions no longer apply."""
        transport = self.transport
        if not transport.shutdown_in_progress:
            transport.set_local_state(transport.local_state.push_resize(width, height), now)
        self.predictor.reset()

    def input_closed(self, now: int) -> None:
        """stdin reached EOF or failed."""
        self.shut_down("Exiting...", now)

    def signalled(self, now: int) -> None:
        """SIGTERM, SIGINT, SIGHUP or SIGPIPE arrived."""
        self.shut_down("Signal received, shutting down...", now)

    def shut_down(self, message: str, now: int) -> None:
        """Start the shutdown handshake (once), saying why in the bar."""
        if not self.transport.shutdown_in_progress:
            self.bar.set_message(message, now, permanent=True)
            self.transport.start_shutdown(now)

    def handle_event(self, event: Any, now: int) -> None:
        """Transport events: the session ends on either shutdown outcome."""
        if isinstance(event, _CLEAN_EVENTS):
            self.clean = True
            self.finished = True
        elif isinstance(event, ShutdownTimedOut):
            self.finished = True

    # -- per iteration --------------------------------------------------------

    def tick(self, now: int) -> int | None:
        """Timers of the loop: connection messages, network errors; returns a wake-up time."""
        self._update_bar(now)
        self._update_predictor()
        self._connecting(now)
        deadline = earliest(self.bar.next_redraw(now), self.predictor.wait_time(now))
        if self.still_connecting:
            deadline = earliest(deadline, now + CONNECTING_AFTER)
        return deadline

    @property
    def still_connecting(self) -> bool:
        """No server state has arrived yet."""
        return self.transport.remote_state_num == 0

    def _update_bar(self, now: int) -> None:
        transport = self.transport
        self.bar.server_heard(transport.remote_state_time)
        self.bar.server_acked(transport.acked_state_sent_time)
        error = transport.send_error
        if error is not None and error is not self._send_error:
            self.bar.set_network_error(error, now)
        else:
            self.bar.clear_network_error(now)
        self._send_error = error

    def _update_predictor(self, typing: bool = False) -> None:
        """Hand the engine the transport's numbers; the sent state number only when typing.

        As in mosh: a prediction made between keystrokes (re-anchoring the cursor after
        a wrong guess) then expires with the last keystroke's state, which the server
        echo-acks, not with a later ack-only state it never will (which would keep the
        engine pending and the client waking every 50 ms for good).
        """
        transport, predictor = self.transport, self.predictor
        predictor.set_network_state(
            send_interval=transport.rtt.send_interval,
            frame_sent=transport.last_sent_state_num if typing else predictor.local_frame_sent,
            frame_acked=transport.acked_state_num,
            echo_ack=transport.remote_state.echo_ack,
        )

    def _connecting(self, now: int) -> None:
        waited = now - self.transport.remote_state_time
        connecting_text = self.connecting_message
        if self.still_connecting and not self.transport.shutdown_in_progress:
            if waited > CONNECT_TIMEOUT:
                self.shut_down(TIMED_OUT, now)
            elif waited > CONNECTING_AFTER:
                self.bar.set_message(connecting_text, now)
        elif not self.still_connecting and self.bar.message == connecting_text:
            self.bar.set_message("", now)

    @property
    def connecting_message(self) -> str:
        """mosh's "Nothing received" text for this server port."""
        return f"Nothing received from server on UDP port {self.config.port}."

    # -- the end ----------------------------------------------------------------

    def exit_report(self) -> tuple[str, int]:
        """What to print on stderr after the terminal is restored, and the exit status."""
        config = self.config
        if self.still_connecting:
            text = (
                f"\nmosh did not make a successful connection to {config.ip}:{config.port}.\n"
                f"Please verify that UDP port {config.port} is not firewalled and can reach "
                "the server.\n\n"
                "(By default, mosh uses a UDP port between 60000 and 61000. The -p option\n"
                "selects a specific UDP port number.)\n"
            )
        elif not self.clean:
            text = (
                "\n\nmosh did not shut down cleanly. Please note that the\n"
                "mosh-server process may still be running on the server.\n"
            )
        else:
            text = ""
        return text, 0 if self.clean else 1
