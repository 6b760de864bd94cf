"""The server's synchronized state: the terminal screen plus the echo acknowledgement.

mosh calls it ``Complete`` (PROTOCOL.md 7.7). A diff is a HostMessage:
an echo ack, a resize and the renderer's escape bytes, in that order; the
client applies it by running the bytes through its own emulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from moshz.errors import ProtocolError
from moshz.term.display import new_frame
from moshz.term.emulator import Emulator
from moshz.term.frame import Frame
from moshz.wire.messages import (
    EchoAck,
    HostBytes,
    HostEvent,
    Resize,
    decode_host_message,
    encode_host_message,
)

MAX_CELLS = 1 << 22  # a peer's resize beyond this many cells is refused


@dataclass(frozen=True, eq=False)
class TerminalState:
    """An immutable terminal snapshot and echo ack (the server's SSP state)."""

    frame: Frame
    echo_ack: int = 0

    def diff_from(self, old: TerminalState) -> bytes:
        """The HostMessage that turns ``old`` into this state (b"" if equal)."""
        events: list[HostEvent] = []
        if self.echo_ack != old.echo_ack:
            events.append(EchoAck(self.echo_ack))
        new, before = self.frame, old.frame
        if new != before:
            if new.width != before.width or new.height != before.height:
                events.append(Resize(new.width, new.height))
            data = new_frame(True, before, new)
            if data:
                events.append(HostBytes(data))
        return encode_host_message(events)

    def apply(self, diff: bytes) -> TerminalState:
        """This state with a peer's diff applied; raises ProtocolError if malformed."""
        echo_ack = self.echo_ack
        emulator = None
        for event in decode_host_message(diff):
            if isinstance(event, EchoAck):
                echo_ack = max(echo_ack, event.num)
                continue
            if emulator is None:
                emulator = Emulator.from_frame(self.frame)
            if isinstance(event, HostBytes):
                emulator.feed(event.data)
            else:
                _check_size(event)
                emulator.resize(event.width, event.height)
        frame = self.frame if emulator is None else emulator.frame()
        return TerminalState(frame, echo_ack)

    def subtract(self, prefix: TerminalState) -> TerminalState:
        """Nothing to drop: a terminal state does not grow (SSP interface)."""
        return self

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, TerminalState):
            return NotImplemented
        return self.echo_ack == other.echo_ack and self.frame == other.frame

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        frame = self.frame
        return f"TerminalState({frame.width}x{frame.height}, echo_ack={self.echo_ack})"


def _check_size(event: Resize) -> None:
    """Refuse sizes no terminal has (and that would exhaust memory)."""
    if event.width < 1 or event.height < 1 or event.width * event.height > MAX_CELLS:
        raise ProtocolError(f"bad terminal size {event.width}x{event.height}")
