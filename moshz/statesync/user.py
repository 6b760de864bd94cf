"""The client's synchronized state: everything the user typed, plus window resizes.

Logically a ``UserStream`` is every user event since the session began, in
order (PROTOCOL.md 7.6). Events are numbered from 0 on both sides (both start
from the empty stream and append the same events), so a stream stores only a
suffix: ``base`` is the number of its first stored event and ``end`` the number
after its last. Consecutive user bytes are kept as one ``bytes`` run, so a
stream is a short tuple of runs, never one object per byte.
"""

from __future__ import annotations

from typing import Tuple, Union

from moshz.wire.messages import (
    Keystroke,
    Resize,
    UserEvent,
    decode_user_message,
    encode_user_message,
)

Run = Union[bytes, Resize]
Runs = Tuple[Run, ...]


def _run_length(run: Run) -> int:
    return len(run) if isinstance(run, bytes) else 1


class UserStream:
    """An immutable suffix of the user's event stream (the client's SSP state)."""

    __slots__ = ("_base", "_end", "_runs")

    def __init__(self) -> None:
        self._base = 0
        self._runs: Runs = ()
        self._end = 0

    @classmethod
    def _make(cls, base: int, runs: Runs, end: int) -> UserStream:
        stream = cls.__new__(cls)
        stream._base = base
        stream._runs = runs
        stream._end = end
        return stream

    @property
    def base(self) -> int:
        """Number of the first event still stored (earlier ones were acknowledged)."""
        return self._base

    @property
    def end(self) -> int:
        """Number of events since the session began; the next event gets this number."""
        return self._end

    def push_keys(self, data: bytes) -> UserStream:
        """The stream with the user's bytes appended (one event per byte)."""
        if not data:
            return self
        runs = self._runs
        if runs and isinstance(runs[-1], bytes):
            runs = runs[:-1] + (runs[-1] + data,)
        else:
            runs = runs + (bytes(data),)
        return UserStream._make(self._base, runs, self._end + len(data))

    def push_resize(self, width: int, height: int) -> UserStream:
        """The stream with a window-size change appended."""
        return UserStream._make(self._base, self._runs + (Resize(width, height),), self._end + 1)

    def _push_event(self, event: UserEvent) -> UserStream:
        if isinstance(event, Keystroke):
            return self.push_keys(event.keys)
        return self.push_resize(event.width, event.height)

    def _runs_from(self, start: int) -> Runs:
        """The stored runs from absolute event number ``start`` (clamped to what is stored)."""
        skip = max(0, start - self._base)
        if skip == 0:
            return self._runs
        for index, run in enumerate(self._runs):
            length = _run_length(run)
            if skip < length:
                head = run[skip:] if isinstance(run, bytes) else run
                return (head,) + self._runs[index + 1 :]
            skip -= length
        return ()

    def events_since(self, older: UserStream) -> list[UserEvent]:
        """The events ``older`` lacks, grouped as on the wire (for the server to consume)."""
        return [Keystroke(run) if isinstance(run, bytes) else run for run in self._runs_from(older.end)]

    def diff_from(self, old: UserStream) -> bytes:
        """The UserMessage turning ``old`` into this stream (empty if nothing is new)."""
        return encode_user_message(self.events_since(old))

    def apply(self, diff: bytes) -> UserStream:
        """The stream with a peer's UserMessage appended (raises ProtocolError if malformed)."""
        stream = self
        for event in decode_user_message(diff):
            stream = stream._push_event(event)
        return stream

    def subtract(self, prefix: UserStream) -> UserStream:
        """The stream without the events ``prefix`` holds (both sides already know them)."""
        cut = min(prefix.end, self._end)
        if cut <= self._base:
            return self
        return UserStream._make(cut, self._runs_from(cut), self._end)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UserStream):
            return NotImplemented
        if self._end != other._end:
            return False
        start = max(self._base, other._base)
        return self._runs_from(start) == other._runs_from(start)

    def __hash__(self) -> int:
        return hash(self._end)

    def __repr__(self) -> str:
        return f"UserStream(base={self._base}, end={self._end}, runs={self._runs!r})"
