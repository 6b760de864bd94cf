"""mosh's UTF-8 decoding: glibc ``mbrtowc`` per byte, one U+FFFD per invalid sequence."""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moshz.term.emulator import Emulator
from moshz.term.utf8 import Utf8Decoder, glibc_mbrtowc

_BYTES = st.lists(
    st.one_of(
        st.integers(0, 255),
        st.sampled_from([0x41, 0x80, 0xBF, 0xC0, 0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5]),
        st.sampled_from([0xF8, 0xFC, 0xFE, 0x9F, 0xA0]),
    ),
    max_size=24,
).map(bytes)


def _libc_mbrtowc() -> Callable[..., Any]:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        function = libc.mbrtowc
        locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    except (OSError, AttributeError, TypeError, locale.Error) as exc:
        pytest.skip(f"glibc mbrtowc unavailable: {exc}")
    wide_pointer = ctypes.POINTER(ctypes.c_int32)
    function.argtypes = [wide_pointer, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_void_p]
    function.restype = ctypes.c_size_t
    return function


def _reference(mbrtowc: Callable[..., Any], data: bytes) -> str:
    """mosh's UTF8Parser::input, byte by byte, on the real glibc."""
    bad, more = ctypes.c_size_t(-1).value, ctypes.c_size_t(-2).value
    out, buf = [], b""
    for byte in data:
        buf += bytes([byte])
        while buf:
            wide, state = ctypes.c_int32(), ctypes.create_string_buffer(128)
            used = mbrtowc(ctypes.byref(wide), buf, len(buf), state)
            if used == more:
                break
            if used == bad:
                out.append("\ufffd")
                buf = buf[-1:] if len(buf) > 1 else b""
                continue
            buf = buf[max(used, 1) :]
            out.append("\ufffd" if wide.value > 0x10FFFF else chr(wide.value))
    return "".join(out)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(data=_BYTES, cut=st.integers(0, 24))
def test_matches_glibc_byte_by_byte(data: bytes, cut: int) -> None:
    mbrtowc = _libc_mbrtowc()
    decoder = Utf8Decoder()
    assert decoder.decode(data[:cut]) + decoder.decode(data[cut:]) == _reference(mbrtowc, data)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=_BYTES)
def test_glibc_model_agrees_with_glibc(data: bytes) -> None:
    mbrtowc = _libc_mbrtowc()
    for end in range(1, len(data) + 1):
        buf = data[:end]
        wide, state = ctypes.c_int32(), ctypes.create_string_buffer(128)
        used = mbrtowc(ctypes.byref(wide), buf, len(buf), state)
        signed = ctypes.c_ssize_t(used).value
        expected = (signed, 0) if signed < 0 else (max(signed, 1), wide.value)
        assert glibc_mbrtowc(buf) == expected


@pytest.mark.parametrize(
    "data, text",
    [
        (b"caf\xc3\xa9", "caf\u00e9"),
        (b"\xe2\x82A", "\ufffdA"),
        (b"\x80\xbf", "\ufffd\ufffd"),
        (b"\xc0\x80", "\ufffd\ufffd"),
        (b"\xed\xa0\x80", "\ufffd\ufffd"),
        (b"\xf4\x90\x80\x80", "\ufffd"),
        (b"\xf8\x88\x80\x80\x80", "\ufffd"),
        (b"\xfe\xff", "\ufffd\ufffd"),
        (b"\xe6\x97", ""),
    ],
)
def test_examples(data: bytes, text: str) -> None:
    assert Utf8Decoder().decode(data) == text


def test_split_sequences_wait_for_their_end() -> None:
    decoder = Utf8Decoder()
    assert decoder.decode(b"a\xf0\x9f") == "a"
    assert decoder.decode(b"\x98") == ""
    assert decoder.decode(b"\x80b") == "\U0001f600b"
    assert decoder.decode(b"\xf8\x88") == ""
    assert decoder.decode(b"x") == "\ufffdx"


def test_emulator_uses_mosh_decoding() -> None:
    emulator = Emulator(10, 2)
    emulator.feed(b"\xf8\x88\x80\x80\x80|\xed\xa0\x80")
    assert next(emulator.frame().lines()).rstrip() == "\ufffd|\ufffd\ufffd"
