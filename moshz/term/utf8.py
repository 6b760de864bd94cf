"""UTF-8 decoding with mosh's replacement rules (PROTOCOL.md 8.3).

mosh feeds each byte to glibc's ``mbrtowc`` together with the bytes of the
still-incomplete sequence before it; an invalid sequence becomes one U+FFFD
and its last byte is looked at again. glibc accepts the old 5- and 6-byte
forms as sequences (whose values mosh then replaces), so garbage decodes to
fewer U+FFFD than Python's codec gives. Valid input, nearly all of it, goes
through Python's C decoder; only the bytes around an error take the slow path.
"""

from __future__ import annotations

import codecs

REPLACEMENT = "\ufffd"
_MORE = -2  # incomplete so far
_BAD = -1  # invalid sequence
_FORMS = ((0xC2, 0xDF, 2, 0x1F), (0xE0, 0xEF, 3, 0x0F), (0xF0, 0xF7, 4, 0x07))
_FORMS += ((0xF8, 0xFB, 5, 0x03), (0xFC, 0xFD, 6, 0x01))
_LEADS = {
    lead: (count, mask) for low, high, count, mask in _FORMS for lead in range(low, high + 1)
}  # lead byte -> (sequence length, value bits of the lead)


def glibc_mbrtowc(buf: bytes) -> tuple[int, int]:
    """glibc's answer for a non-empty ``buf``: (bytes used, code point), or (_MORE|_BAD, 0)."""
    lead = buf[0]
    if lead < 0x80:
        return 1, lead
    if lead not in _LEADS:
        return _BAD, 0
    count, mask = _LEADS[lead]
    value = lead & mask
    for byte in buf[1:count]:
        if byte & 0xC0 != 0x80:
            return _BAD, 0
        value = (value << 6) | (byte & 0x3F)
    if len(buf) < count:
        return _MORE, 0
    if (count > 2 and value >> (5 * count - 4) == 0) or 0xD800 <= value <= 0xDFFF:
        return _BAD, 0
    return count, value


def _settle(buf: bytes, out: list[str]) -> bytes:
    """mosh's loop after one more byte joined ``buf``: emit what it can, keep the rest."""
    while buf:
        used, value = glibc_mbrtowc(buf)
        if used == _MORE:
            return buf
        if used == _BAD:
            out.append(REPLACEMENT)
            buf = buf[-1:] if len(buf) > 1 else b""
            continue
        buf = buf[used:]
        out.append(REPLACEMENT if value > 0x10FFFF else chr(value))
    return buf


class Utf8Decoder:
    """Incremental decoder: sequences split across ``decode`` calls wait for their end."""

    def __init__(self) -> None:
        self._pending = b""

    def decode(self, data: bytes) -> str:
        """Code points for ``data``; an unfinished sequence at its end is kept."""
        data = self._pending + data
        self._pending = b""
        view = memoryview(data)
        out: list[str] = []
        pos = 0
        while pos < len(data):
            try:
                text, used = codecs.utf_8_decode(view[pos:], "strict", False)
            except UnicodeDecodeError as error:
                out.append(codecs.utf_8_decode(view[pos : pos + error.start])[0])
                pos = self._slow(data, pos + error.start, out)
                continue
            out.append(text)
            self._pending = data[pos + used :]
            break
        return "".join(out)

    def _slow(self, data: bytes, pos: int, out: list[str]) -> int:
        """Byte by byte from ``pos`` until mosh's buffer is empty again; the next position."""
        buf = b""
        while pos < len(data):
            buf = _settle(buf + data[pos : pos + 1], out)
            pos += 1
            if not buf:
                return pos
        self._pending = buf
        return pos
