"""The interface both synchronized states offer the transport (PROTOCOL.md 7.1, 7.6, 7.7)."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar


class SyncState(Protocol):
    """An immutable value the SSP can send as diffs: UserStream or TerminalState."""

    def diff_from(self, old: Any) -> bytes:
        """The wire diff turning ``old`` into this state (empty if equal)."""

    def apply(self, diff: bytes) -> Any:
        """A new state with a peer's diff applied (raises ProtocolError if malformed)."""

    def subtract(self, prefix: Any) -> Any:
        """This state without what ``prefix`` holds (both sides know it)."""


S = TypeVar("S", bound=SyncState)
