"""Tests for the server's user-input translation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from moshz.server.input import InputTranslator


def translate(data: bytes, app: bool = False) -> bytes:
    return InputTranslator().translate(data, app)


def test_arrows_become_ansi_unless_application_mode() -> None:
    assert translate(b"\x1bOA\x1bOD") == b"\x1b[A\x1b[D"
    assert translate(b"\x1bOA", app=True) == b"\x1bOA"


def test_other_ss3_keys_pass_through() -> None:
    assert translate(b"\x1bOP\x1bOE") == b"\x1bOP\x1bOE"
    assert translate(b"hello\x1b[A") == b"hello\x1b[A"


def test_escape_escape_resets() -> None:
    assert translate(b"\x1b\x1bOA") == b"\x1b\x1bOA"


def test_held_o_released_in_next_chunk_with_mode_at_that_time() -> None:
    translator = InputTranslator()
    assert translator.translate(b"x\x1b", False) == b"x\x1b"
    assert translator.translate(b"O", False) == b""
    assert translator.translate(b"B", True) == b"OB"


@given(st.binary(max_size=64), st.integers(min_value=1, max_value=8))
def test_chunking_does_not_matter(data: bytes, step: int) -> None:
    whole = translate(data)
    translator = InputTranslator()
    parts = b"".join(
        translator.translate(data[i : i + step], False) for i in range(0, len(data), step)
    )
    assert parts == whole


@given(st.binary(max_size=64))
def test_application_mode_changes_nothing(data: bytes) -> None:
    assert translate(data + b"A", app=True) == data + b"A"
