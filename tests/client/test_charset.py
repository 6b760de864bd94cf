"""Tests for mosh's locale advice texts."""

from __future__ import annotations

from moshz.client.charset import charset_advice, unavailable_note


def test_advice_matches_mosh_client() -> None:
    assert charset_advice("mosh-client", "LANG=C", "ANSI_X3.4-1968") == (
        "mosh-client needs a UTF-8 native locale to run.\n\n"
        "Unfortunately, the client's environment (LANG=C) specifies\n"
        'the character set "US-ASCII".\n\n'
    )
    assert '"ISO-8859-1"' in charset_advice("moshz", "LC_ALL=x", "ISO-8859-1")


def test_unavailable_note() -> None:
    assert unavailable_note("LANG=en_US.UTF-8", "en_US.UTF-8") == (
        "The locale requested by LANG=en_US.UTF-8 isn't available here.\n"
        "Running `locale-gen en_US.UTF-8' may be necessary.\n\n"
    )
