"""The two implementations compared: how to start each one's server and client."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MOSHZ_FILE = ROOT / "dist" / "moshz"
SHIV_ROOT = "SHIV_ROOT"


@dataclass(frozen=True)
class Implementation:
    """One mosh implementation: how to run its server, client and version query; its files."""

    name: str
    server: tuple[str, ...]
    client: tuple[str, ...]
    version: tuple[str, ...]
    files: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)


def mosh() -> Implementation:
    """Debian's real mosh 1.4: the reference every figure is divided by."""
    files = tuple(shutil.which(name) or name for name in ("mosh-server", "mosh-client"))
    return Implementation(
        "mosh", ("mosh-server",), ("mosh-client",), ("mosh-client", "--version"), files
    )


def moshz(shiv_root: str, path: Path = MOSHZ_FILE) -> Implementation:
    """moshz from its one-file build, unpacking into `shiv_root` (kept apart from ~/.shiv)."""
    file = str(path)
    return Implementation(
        "moshz",
        (file, "--server"),
        (file, "--client"),
        (file, "--version"),
        (file,),
        {SHIV_ROOT: shiv_root},
    )


def with_shiv_root(impl: Implementation, shiv_root: str) -> Implementation:
    """The same implementation unpacking into another root (only moshz unpacks anything)."""
    if SHIV_ROOT not in impl.env:
        return impl
    return replace(impl, env={**impl.env, SHIV_ROOT: shiv_root})
