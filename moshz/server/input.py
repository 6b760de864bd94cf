"""User-input translation (PROTOCOL.md 8.8): arrow keys in the mode the application wants.

The real mosh client keeps the user's terminal in application-cursor-key mode,
so arrows arrive as ``ESC O A``..``ESC O D``. An application that has not
asked for that mode (DEC mode 1) expects ``ESC [ A``..``ESC [ D`` instead.
"""

from __future__ import annotations

_ESC = 0x1B
_SS3 = ord("O")
_ARROWS = b"ABCD"

_GROUND = 0
_AFTER_ESC = 1
_AFTER_SS3 = 2


class InputTranslator:
    """Rewrites user bytes for the pty; keeps its state across chunks."""

    def __init__(self) -> None:
        self._state = _GROUND

    def translate(self, data: bytes, application_cursor_keys: bool) -> bytes:
        """The bytes to write to the pty for ``data`` (an ``ESC O`` may be held back)."""
        out = bytearray()
        for byte in data:
            out += self._step(byte, application_cursor_keys)
        return bytes(out)

    def _step(self, byte: int, application_cursor_keys: bool) -> bytes:
        state = self._state
        if state == _AFTER_SS3:
            self._state = _GROUND
            if byte in _ARROWS and not application_cursor_keys:
                return b"[" + bytes((byte,))
            return b"O" + bytes((byte,))
        if state == _AFTER_ESC:
            if byte == _SS3:
                self._state = _AFTER_SS3
                return b""
            self._state = _GROUND
            return bytes((byte,))
        if byte == _ESC:
            self._state = _AFTER_ESC
        return bytes((byte,))
