"""Where the running moshz file is, and its sha256: what self-install sends and names.

Built with shiv, moshz is one zip file run by Python, and ``sys.argv[0]`` is
that file. Run from a source tree (``python -m moshz``) there is no single file
to send, and self-install is unavailable.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from typing import NamedTuple

_CHUNK = 1 << 20


class SelfFile(NamedTuple):
    """The one-file moshz that is running: absolute path, sha256 (hex) and size in bytes."""

    path: str
    sha256: str
    size: int


def running_file(argv0: str | None = None) -> str | None:
    """The absolute path of the zipapp being run, or None when moshz runs from source."""
    path = (sys.argv[0] if sys.argv else "") if argv0 is None else argv0
    if path and os.path.isfile(path) and zipfile.is_zipfile(path):
        return os.path.abspath(path)
    return None


def file_sha256(path: str) -> str:
    """The sha256 of a file's contents, in lowercase hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def self_file(argv0: str | None = None) -> SelfFile | None:
    """The running zipapp with its hash and size, or None when there is none (or it vanished)."""
    path = running_file(argv0)
    if path is None:
        return None
    try:
        return SelfFile(path, file_sha256(path), os.path.getsize(path))
    except OSError:
        return None
