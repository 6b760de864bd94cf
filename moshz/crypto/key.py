"""The printable session key: 16 bytes as 22 base64 letters (PROTOCOL 3.1)."""

from __future__ import annotations

import base64
import binascii

from moshz.errors import UsageError

KEY_SIZE = 16
KEY_LETTERS = 22
_PREFIX = "Crypto exception: "


def _reject(reason: str) -> UsageError:
    """The error mosh-client prints for a bad MOSH_KEY, word for word."""
    return UsageError(_PREFIX + reason)


def parse_key(text: str) -> bytes:
    """Decode a MOSH_KEY / MOSH CONNECT key; UsageError carries mosh's exact message.

    Decoding 22 valid letters plus "==" always yields 16 bytes, so mosh's
    "Key must represent 16 octets." cannot occur here.
    """
    if len(text) != KEY_LETTERS:
        raise _reject("Key must be 22 letters long.")
    try:
        key = base64.b64decode(text + "==", validate=True)
    except (binascii.Error, ValueError):
        raise _reject("Key must be well-formed base64.") from None
    if format_key(key) != text:
        raise _reject("Base64 key was not encoded 128-bit key.")
    return key


def format_key(key: bytes) -> str:
    """The 22-letter printable form of a 16-byte key (base64 without the "==")."""
    if len(key) != KEY_SIZE:
        raise ValueError("a session key is 16 bytes")
    return base64.b64encode(key).decode("ascii")[:KEY_LETTERS]
