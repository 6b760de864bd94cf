"""Echo-ack bookkeeping (PROTOCOL.md 7.8): which input the client may consider echoed.

The server tells the client "input up to state N reached the application at
least ECHO_TIMEOUT ms ago"; mosh-client's prediction engine needs it.
"""

from __future__ import annotations

ECHO_TIMEOUT = 50


class EchoAck:
    """Input arrival history and the echo_ack value derived from it."""

    def __init__(self) -> None:
        self._history: list[tuple[int, int]] = []  # (client state number, arrival ms)
        self.value = 0

    def register_input(self, state_num: int, now: int) -> None:
        """Remember that client state ``state_num`` (carrying events) was consumed at ``now``."""
        self._history.append((state_num, now))

    def update(self, now: int) -> bool:
        """Recompute ``value`` at ``now``; True if it changed (the terminal must be republished)."""
        newest = 0
        for state_num, arrival in self._history:
            if arrival + ECHO_TIMEOUT <= now:
                newest = state_num
        self._history = [entry for entry in self._history if entry[0] >= newest]
        if newest == self.value:
            return False
        self.value = newest
        return True

    def next_wakeup(self) -> int | None:
        """The absolute time at which ``update`` may next change the value, or None."""
        if len(self._history) < 2:
            return None
        return self._history[1][1] + ECHO_TIMEOUT
