"""What the prediction engine sees of typed bytes: mosh's parser actions (PROTOCOL.md 8.3, 11.3).

The engine cares about four kinds of action: a printed character, an
executed control, an escape-sequence dispatch and a CSI dispatch (only the
final character matters: ``C`` and ``D`` are the arrows). Typed bytes go
through mosh's UTF-8 rules and the states of its VT500 parser, with one
twist mosh applies first: ``ESC O`` (application-mode cursor keys) is read
as ``ESC [`` so that arrows look the same in both cursor-key modes.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Optional

from moshz.term.utf8 import Utf8Decoder

PRINT, EXECUTE, ESC_DISPATCH, CSI_DISPATCH = "print", "execute", "esc", "csi"

_ESC = 0x1B
# C1 controls and friends that act in every state (mosh's "anywhere" rules).
_ANYWHERE_EXECUTE = frozenset([0x18, 0x1A, *range(0x80, 0x90), *range(0x91, 0x98), 0x99, 0x9A])
_STRING_STARTERS = frozenset([0x90, 0x98, 0x9E, 0x9F])


class KeyAction(NamedTuple):
    """One parser action: its kind and the character (code point) that made it."""

    kind: str
    char: int


_State = Callable[[int], Optional[str]]


class KeyParser:
    """Turns typed bytes into parser actions, keeping state across reads."""

    def __init__(self) -> None:
        self._decoder = Utf8Decoder()
        self._last_byte = -1
        self._state: _State = self._ground

    def feed(self, byte: int) -> list[KeyAction]:
        """The actions completed by one more typed byte (often none or one)."""
        if self._last_byte == _ESC and byte == ord("O"):
            byte = ord("[")
        self._last_byte = byte
        actions = []
        for char in self._decoder.decode(bytes((byte,))):
            code = ord(char)
            kind = self._step(code)
            if kind is not None:
                actions.append(KeyAction(kind, code))
        return actions

    def _step(self, code: int) -> str | None:
        if code == _ESC:
            self._state = self._escape
        elif code in _ANYWHERE_EXECUTE:
            self._state = self._ground
            return EXECUTE
        elif code == 0x9C:
            self._state = self._ground
        elif code == 0x9B:
            self._state = self._csi_entry
        elif code == 0x9D:
            self._state = self._osc
        elif code in _STRING_STARTERS:
            self._state = self._string
        else:
            return self._state(0x41 if code >= 0xA0 else code)
        return None

    def _to(self, state: _State, kind: str | None = None) -> str | None:
        self._state = state
        return kind

    def _ground(self, code: int) -> str | None:
        return EXECUTE if code < 0x20 else PRINT

    def _escape(self, code: int) -> str | None:
        if code < 0x20:
            return EXECUTE
        if code < 0x30:
            return self._to(self._escape_intermediate)
        if code == 0x5B:
            return self._to(self._csi_entry)
        if code == 0x5D:
            return self._to(self._osc)
        if code in (0x50, 0x58, 0x5E, 0x5F):
            return self._to(self._string)
        return self._to(self._ground, ESC_DISPATCH) if code < 0x7F else None

    def _escape_intermediate(self, code: int) -> str | None:
        if code < 0x20:
            return EXECUTE
        if 0x30 <= code < 0x7F:
            return self._to(self._ground, ESC_DISPATCH)
        return None

    def _csi_entry(self, code: int) -> str | None:
        if 0x3C <= code <= 0x3F:
            return self._to(self._csi_param)
        return self._csi_param(code)

    def _csi_param(self, code: int) -> str | None:
        if code < 0x20:
            return EXECUTE
        if 0x30 <= code <= 0x39 or code == 0x3B:
            return self._to(self._csi_param)
        if code < 0x30:
            return self._to(self._csi_intermediate)
        if code < 0x40:
            return self._to(self._csi_ignore)
        return self._to(self._ground, CSI_DISPATCH) if code < 0x7F else None

    def _csi_intermediate(self, code: int) -> str | None:
        if code < 0x20:
            return EXECUTE
        if code < 0x30:
            return None
        if code < 0x40:
            return self._to(self._csi_ignore)
        return self._to(self._ground, CSI_DISPATCH) if code < 0x7F else None

    def _csi_ignore(self, code: int) -> str | None:
        if code < 0x20:
            return EXECUTE
        return self._to(self._ground) if 0x40 <= code < 0x7F else None

    def _string(self, code: int) -> str | None:
        """DCS, SOS, PM and APC contents: ignored until ST, ESC, CAN or SUB."""
        return None

    def _osc(self, code: int) -> str | None:
        return self._to(self._ground) if code == 0x07 else None
