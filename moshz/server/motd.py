"""What a login shell's terminal shows before the shell starts (PROTOCOL.md 12.2).

As with mosh: the message of the day, then a white-on-blue notice naming the
user's other mosh sessions that have no client (so they can be resumed or
killed). Both are skipped when ~/.hushlogin exists (the caller checks).
"""

from __future__ import annotations

from typing import Sequence

_NOTICE_START = "\x1b[37;44m"
_NOTICE_END = "\x1b[m"


def detached_notice(labels: Sequence[str]) -> bytes:
    """The notice about detached sessions ``labels`` (e.g. ``mosh [1234]``), or b"" for none."""
    if not labels:
        return b""
    if len(labels) == 1:
        text = f"moshz: a Mosh session without a client is still running here: {labels[0]}\n"
    else:
        text = f"moshz: {len(labels)} Mosh sessions without a client are still running here:\n"
        text += "".join(f"  - {label}\n" for label in labels)
    return f"{_NOTICE_START}{text}{_NOTICE_END}\n".encode("utf-8", "replace")
