"""mosh's VT500-style parser, run on pyte's byte stream (PROTOCOL.md 8.3).

The stream (a pyte ``ByteStream``) decodes incrementally (with ``Utf8Decoder``,
mosh's U+FFFD rules; split sequences wait for their next bytes). In the ground
state ``Machine.run`` takes tokens (text, controls, whole CSI and escape
sequences) as long as they follow each other; everything else goes one code
point at a time through ``Machine``, which replaces pyte's state machine because mosh's rules
differ in ways that change the screen: C1 controls, private markers and
intermediates in the dispatch key, ``:`` making a CSI void, OSC ends, DCS and
string swallowing, and which functions keep the pending wrap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Generator, Pattern

import pyte

from moshz.term.csi import KEEPS_WRAP, csi_call
from moshz.term.params import MAX_PARAM_CHARS
from moshz.term.screen import Screen
from moshz.term.sgr import apply_sgr
from moshz.term.utf8 import Utf8Decoder
from moshz.term.wcwidth import narrow_class

_ANYWHERE = frozenset([0x18, 0x1A, 0x1B, *range(0x80, 0xA0)])
_STRING_STARTS = frozenset([0x90, 0x98, 0x9E, 0x9F])
_MAX_INTERMEDIATES = 8
_MAX_OSC = 16384

# The ground state's tokens, numbered by the group that ends each (``match.lastindex``).
# Taking one must give exactly what feeding its code points one by one through ``step`` gives.
_CONTROLS = "\x00-\x17\x19\x1c-\x1f"  # C0 controls executed in the ground state
_NARROW = narrow_class()  # characters one column wide
_LINES, _SGR_TEXT, _NARROW_TEXT, _CSI = 1, 3, 4, 6
_CONTROL, _TEXT, _CSI_PRIVATE, _ESC = 7, 8, 12, 14
_TOKENS = (
    f"((?:[{_NARROW}]{{0,%d}}\r+\n)+)"  # 1: lines that fit a row, each ended by CRs and LF
    f"|\x1b\\[([0-9;]*)m([{_NARROW}]+)"  # 2, 3: SGR and the text it colours
    f"|([{_NARROW}]+)"  # 4: one-column characters
    "|\x1b\\[([0-9;]*)([@-~])"  # 5, 6: CSI parameters and final
    f"|([{_CONTROLS}])"  # 7: a C0 control
    "|([\xa0-\U0010ffff]+)"  # 8: other printable text
    "|\x1b\\[([<-?]?)([0-9;]*)([ -/]*)([@-~])"  # 9-12: CSI with marker or intermediates
    "|\x1b([ -/]*)((?<=[ -/])[0-~]|[0-OQ-WYZ\\\\`-~])"  # 13, 14: an escape sequence (not a string's start)
)


@lru_cache(maxsize=8)
def _tokens(width: int) -> Pattern[str]:
    """The token pattern for a screen ``width`` columns wide."""
    return re.compile(_TOKENS % width)


State = Callable[[str, int], None]


class Machine:
    """The parser states, fed one code point at a time, dispatching to a Screen."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.params = ""
        self.intermediates = ""
        self.osc: list[str] = []
        self.ground: State = self._ground
        self.state = self.ground
        self._osc_state: State = self._osc_string
        self._controls = _control_table(screen)
        self._escapes: dict[str, Callable[[], None]] = {
            "7": screen.save_cursor,
            "8": screen.restore_cursor,
            "c": screen.full_reset,
            "#8": screen.alignment_test,
        }

    def run(self, text: str, start: int) -> int:
        """Take ground-state tokens from ``text[start:]`` while they follow each other; where they stop.

        ``scanner(...).match`` (what ``re.Scanner`` uses) matches token after token
        without searching ahead, and stops at the first position no token fits.
        """
        screen = self.screen
        draw_narrow, csi = screen.draw_narrow, self._csi  # bound once: the loop is hot
        match = None
        for match in iter(_tokens(screen.width).scanner(text, start).match, None):
            kind = match.lastindex
            if kind == _SGR_TEXT:
                params, printed = match.group(2, 3)
                screen.renditions = apply_sgr(screen.renditions, params)
                draw_narrow(printed)
            elif kind == _NARROW_TEXT:
                draw_narrow(match.group())
            elif kind == _CSI:
                csi(*match.group(6, 5))
            elif kind == _LINES:
                screen.print_lines(match.group())
            elif kind == _CONTROL:
                self._execute(match.group())
            elif kind == _TEXT:
                screen.draw(match.group())
            elif kind == _CSI_PRIVATE:
                self._csi_private(*match.group(9, 10, 11, 12))
            else:
                self.intermediates = match.group(13)[:_MAX_INTERMEDIATES]
                self._esc_dispatch(match.group(14))
        return start if match is None else match.end()

    def _csi_private(self, marker: str, params: str, intermediates: str, final: str) -> None:
        self.params = params[:MAX_PARAM_CHARS]
        self.intermediates = (marker + intermediates)[:_MAX_INTERMEDIATES]
        self._csi_dispatch(final)

    def step(self, char: str) -> bool:
        """Consume one code point; True when back in the ground state."""
        code = ord(char)
        if code in _ANYWHERE:
            self._anywhere(char, code)
        else:
            self.state(char, 0x41 if code >= 0xA0 else code)
        return self.state is self.ground

    def _enter(self, state: State) -> None:
        if self.state is self._osc_state:
            self.screen.operating_system_command("".join(self.osc))
        self.state = state

    def _begin(self, state: State) -> None:
        self._enter(state)
        self.params = ""
        self.intermediates = ""

    def _anywhere(self, char: str, code: int) -> None:
        if code == 0x1B:
            self._begin(self._escape)
        elif code == 0x9B:
            self._begin(self._csi_entry)
        elif code == 0x9D:
            self._enter(self._osc_state)
            self.osc = []
        elif code in _STRING_STARTS:
            self._enter(self._string)
        else:
            self._enter(self.ground)
            if code != 0x9C:
                self._execute(char)

    def _ground(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif code != 0x7F:
            self.screen.draw(char)

    def _escape(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif code < 0x30:
            self._collect(char)
            self.state = self._escape_intermediate
        elif code == 0x5B:
            self._begin(self._csi_entry)
        elif code == 0x5D:
            self._enter(self._osc_state)
            self.osc = []
        elif code in (0x50, 0x58, 0x5E, 0x5F):
            self.state = self._string
        elif code < 0x7F:
            self.state = self.ground
            self._esc_dispatch(char)

    def _escape_intermediate(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif code < 0x30:
            self._collect(char)
        elif code < 0x7F:
            self.state = self.ground
            self._esc_dispatch(char)

    def _csi_entry(self, char: str, code: int) -> None:
        if 0x3C <= code <= 0x3F:
            self._collect(char)
            self.state = self._csi_param
        else:
            self._csi_param(char, code)

    def _csi_param(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif 0x30 <= code <= 0x39 or code == 0x3B:
            if len(self.params) < MAX_PARAM_CHARS:
                self.params += char
            self.state = self._csi_param
        elif code < 0x30:
            self._collect(char)
            self.state = self._csi_intermediate
        elif code < 0x40:
            self.state = self._csi_ignore
        elif code < 0x7F:
            self.state = self.ground
            self._csi_dispatch(char)

    def _csi_intermediate(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif code < 0x30:
            self._collect(char)
        elif code < 0x40:
            self.state = self._csi_ignore
        elif code < 0x7F:
            self.state = self.ground
            self._csi_dispatch(char)

    def _csi_ignore(self, char: str, code: int) -> None:
        if code < 0x20:
            self._execute(char)
        elif 0x40 <= code < 0x7F:
            self.state = self.ground

    def _string(self, char: str, code: int) -> None:
        """DCS, SOS, PM and APC contents: all discarded until an ST, ESC or CAN."""

    def _osc_string(self, char: str, code: int) -> None:
        if 0x20 <= code <= 0x7F:
            if len(self.osc) < _MAX_OSC:
                self.osc.append(char)
        elif code == 0x07:
            self._enter(self.ground)

    def _collect(self, char: str) -> None:
        if len(self.intermediates) < _MAX_INTERMEDIATES:
            self.intermediates += char

    def _key(self, final: str) -> str:
        if len(self.intermediates) < _MAX_INTERMEDIATES and ord(final) <= 0xFF:
            return self.intermediates + final
        return self.intermediates

    def _execute(self, char: str) -> None:
        if char != "\t":
            self.screen.will_wrap = False
        handler = self._controls.get(char)
        if handler is not None:
            handler()

    def _esc_dispatch(self, char: str) -> None:
        code = ord(char)
        if not self.intermediates and 0x40 <= code <= 0x5F:
            self._execute(chr(code + 0x40))
            return
        self.screen.will_wrap = False
        handler = self._escapes.get(self._key(char))
        if handler is not None:
            handler()

    def _csi_dispatch(self, char: str) -> None:
        self._csi(self._key(char), self.params)

    def _csi(self, key: str, params: str) -> None:
        if key == "m":  # SGR, by far the most frequent: straight from the parameter text
            self.screen.renditions = apply_sgr(self.screen.renditions, params)
            return
        if key not in KEEPS_WRAP:
            self.screen.will_wrap = False
        call = csi_call(key, params)
        if call is not None:
            call[0](self.screen, *call[1])


def _control_table(screen: Screen) -> dict[str, Callable[[], None]]:
    return {
        "\x07": screen.bell,
        "\x08": screen.backspace,
        "\x09": screen.tab,
        "\x0a": screen.linefeed,
        "\x0b": screen.linefeed,
        "\x0c": screen.linefeed,
        "\x0d": screen.carriage_return,
        "\x84": screen.linefeed,
        "\x85": screen.next_line,
        "\x88": screen.set_tab_stop,
        "\x8d": screen.reverse_index,
    }


class MoshStream(pyte.ByteStream):
    """pyte's byte stream with mosh's UTF-8 decoding and parser behind it.

    pyte's loop is kept (its parser generator steps ``Machine`` outside the
    ground state) but, in the ground state, ``Machine.run`` takes over instead
    of pyte's pre-scan and ``draw``: the tokens are found only once.
    """

    def __init__(self, screen: Screen) -> None:
        self.machine = Machine(screen)
        super().__init__(self.machine, strict=False)
        self.utf8_decoder = Utf8Decoder()  # type: ignore[assignment]

    def feed(self, data: bytes) -> None:  # type: ignore[override]
        """Decode ``data`` and run it through the parser."""
        text = self.utf8_decoder.decode(data)
        send = self._send_to_parser
        in_ground = self._taking_plain_text
        offset, end = 0, len(text)
        while offset < end:
            if in_ground:
                offset = self.run(text, offset)
                if offset == end:
                    break
            in_ground = send(text[offset])
            offset += 1
        self._taking_plain_text = in_ground

    def run(self, text: str, start: int) -> int:
        """The ground-state fast path from ``start``; where it stops."""
        return self.machine.run(text, start)

    def _parser_fsm(self) -> Generator[bool | None, str, None]:
        step = self.machine.step
        in_ground: bool | None = True
        while True:
            char = yield in_ground
            in_ground = step(char)
