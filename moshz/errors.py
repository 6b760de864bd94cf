"""The project's error vocabulary: one type for what a peer sends, one for misuse."""

from __future__ import annotations


class ProtocolError(Exception):
    """Bytes from the network (or a peer) that cannot be accepted.

    Every decoder raises only this for bad input; the receive path catches it,
    drops the datagram and counts it. Nothing a peer sends may raise anything else.
    """


class UsageError(Exception):
    """A command line or environment setting the user must fix (one-line message)."""
