"""Our width table must answer exactly like glibc, which real mosh peers use."""

from __future__ import annotations

from typing import Callable

import pytest

from moshz.term.wcwidth import wcwidth


def _glibc() -> Callable[[int], int]:
    try:
        from tools.gen_widths import glibc_wcwidth

        return glibc_wcwidth()
    except (OSError, ImportError, AttributeError) as exc:
        pytest.skip(f"glibc wcwidth unavailable: {exc}")


def test_agrees_with_glibc_for_every_code_point() -> None:
    libc_wcwidth = _glibc()
    mismatches = [cp for cp in range(0x110000) if wcwidth(cp) != libc_wcwidth(cp)]
    assert mismatches == []


@pytest.mark.parametrize(
    "cp, width",
    [
        (0x41, 1),
        (0x7F, -1),
        (0x07, -1),
        (0xE9, 1),
        (0x301, 0),
        (0x65E5, 2),
        (0xFF21, 2),
        (0x1F600, 2),
        (0x200B, 0),
    ],
)
def test_known_widths(cp: int, width: int) -> None:
    assert wcwidth(cp) == width


def test_out_of_range_is_unprintable() -> None:
    assert wcwidth(-1) == -1
    assert wcwidth(0x110000) == -1
