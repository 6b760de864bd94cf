"""Deterministic input files for the throughput workloads: random bytes and escape-heavy output."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Callable

WIDTH, HEIGHT = 80, 24
WORDS = ("alpha", "beta", "gamma", "delta", "naïve", "─┼─", "ok", "fail", "12345", "x")
RESET = "\x1b[r\x1b[0m\x1b[H\x1b[2J"


def random_bytes(size: int, seed: int = 1) -> bytes:
    """`size` pseudo-random bytes, the same on every run."""
    return random.Random(seed).getrandbits(8 * size).to_bytes(size, "little")


def _sgr(rng: random.Random) -> str:
    """A random SGR: 256-colour or true-colour foreground/background, bold, underline, reset."""
    choice = rng.randrange(5)
    if choice == 0:
        return f"\x1b[1;38;5;{rng.randrange(256)}m"
    if choice == 1:
        r, g, b = (rng.randrange(256) for _ in range(3))
        return f"\x1b[48;2;{r};{g};{b}m"
    if choice == 2:
        return f"\x1b[{30 + rng.randrange(8)};{40 + rng.randrange(8)}m"
    return "\x1b[4m" if choice == 3 else "\x1b[0m"


def _text(rng: random.Random) -> str:
    """A few coloured words."""
    return "".join(_sgr(rng) + rng.choice(WORDS) + " " for _ in range(rng.randrange(1, 6)))


def _motion(rng: random.Random) -> str:
    """Absolute or relative cursor motion, then text and an erase."""
    row, col = rng.randrange(1, HEIGHT + 1), rng.randrange(1, WIDTH + 1)
    moves = (f"\x1b[{row};{col}H", f"\x1b[{col}G", "\x1b[3A\x1b[5C", "\x1b[2B\x1b[4D")
    return rng.choice(moves) + _text(rng) + rng.choice(("\x1b[K", "\x1b[1K", ""))


def _scroll(rng: random.Random) -> str:
    """Lines scrolling inside a scroll region, an insert/delete line, then the region reset."""
    top = rng.randrange(1, HEIGHT - 4)
    bottom = rng.randrange(top + 2, HEIGHT + 1)
    lines = "".join("\r\n" + _text(rng) for _ in range(rng.randrange(2, 8)))
    edit = rng.choice(("\x1b[L", "\x1b[2M", "\x1bM"))
    return f"\x1b[{top};{bottom}r\x1b[{bottom};1H{lines}{edit}\x1b[r"


PIECES: list[Callable[[random.Random], str]] = [_text, _motion, _motion, _scroll]


def escape_heavy(size: int, seed: int = 1) -> bytes:
    """About `size` bytes of colourful, cursor-moving, scrolling output ending on a clean screen."""
    rng = random.Random(seed)
    parts: list[bytes] = []
    total = 0
    while total < size:
        part = rng.choice(PIECES)(rng).encode()
        parts.append(part)
        total += len(part)
    parts.append(RESET.encode())
    return b"".join(parts)


def write_payloads(workdir: Path, random_size: int, escape_size: int) -> None:
    """Write random.bin and escape.bin into the work directory."""
    (workdir / "random.bin").write_bytes(random_bytes(random_size))
    (workdir / "escape.bin").write_bytes(escape_heavy(escape_size))
