"""Session key text: exactly mosh's acceptance rules and messages (PROTOCOL 3.1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from moshz.crypto.key import format_key, parse_key
from moshz.errors import UsageError


def test_known_key():
    assert parse_key("vIE4Nm3Rsst6Kqw2FX82yQ").hex() == "bc8138366dd1b2cb7a2aac36157f36c9"
    assert format_key(bytes.fromhex("bc8138366dd1b2cb7a2aac36157f36c9")) == "vIE4Nm3Rsst6Kqw2FX82yQ"


@given(st.binary(min_size=16, max_size=16))
def test_round_trip(key):
    text = format_key(key)
    assert len(text) == 22 and "=" not in text
    assert parse_key(text) == key


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Key must be 22 letters long."),
        ("vIE4Nm3Rsst6Kqw2FX82y", "Key must be 22 letters long."),
        ("vIE4Nm3Rsst6Kqw2FX82yQ==", "Key must be 22 letters long."),
        ("vIE4Nm3Rsst6Kqw2FX82y!", "Key must be well-formed base64."),
        ("vIE4Nm3Rsst6Kqw2FX82y ", "Key must be well-formed base64."),
        ("vIE4Nm3Rsst6Kqw2FX8=yQ", "Key must be well-formed base64."),
        ("vIE4Nm3Rsst6Kqw2FX82\u00e9Q", "Key must be well-formed base64."),
        ("vIE4Nm3Rsst6Kqw2FX82y-", "Key must be well-formed base64."),
        ("vIE4Nm3Rsst6Kqw2FX82yR", "Base64 key was not encoded 128-bit key."),
        ("vIE4Nm3Rsst6Kqw2FX82yf", "Base64 key was not encoded 128-bit key."),
    ],
)
def test_rejections_use_mosh_messages(text, message):
    with pytest.raises(UsageError) as info:
        parse_key(text)
    assert str(info.value) == "Crypto exception: " + message


def test_format_needs_16_bytes():
    with pytest.raises(ValueError):
        format_key(bytes(15))
