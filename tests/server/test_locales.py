"""Tests for the shell's locale fixes, with a fake glibc as the probe."""

from __future__ import annotations

from typing import Mapping

from moshz.server.locales import (
    SYSTEM_LOCALE_ARCHIVE,
    apply_client_locale,
    fix_locale,
    is_utf8,
)

CATEGORIES = ("LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LC_MESSAGES")
HOST = {"C": "ANSI_X3.4-1968", "POSIX": "ANSI_X3.4-1968", "C.UTF-8": "UTF-8", "de_DE": "ISO-8859-1"}
ARCHIVE_ONLY = {"en_US.UTF-8": "UTF-8"}


class FakeGlibc:
    """Answers like setlocale(LC_ALL, "") + nl_langinfo(CODESET) would, and counts calls."""

    def __init__(self, host: Mapping[str, str] = HOST) -> None:
        self.host = dict(host)
        self.calls = 0

    def __call__(self, environ: Mapping[str, str]) -> str | None:
        self.calls += 1
        known = dict(self.host)
        if environ.get("LOCALE_ARCHIVE") == SYSTEM_LOCALE_ARCHIVE:
            known.update(ARCHIVE_ONLY)
        values = {
            cat: environ.get("LC_ALL") or environ.get(cat) or environ.get("LANG") or "C"
            for cat in CATEGORIES
        }
        if any(value not in known for value in values.values()):
            return None
        return known[values["LC_CTYPE"]]


def test_client_settings_replace_server_locale() -> None:
    environ = {"LANG": "C", "LC_ALL": "C", "PATH": "/bin"}
    assert apply_client_locale(environ, [("LANG", "C.UTF-8")]) == {
        "PATH": "/bin",
        "LANG": "C.UTF-8",
    }
    assert apply_client_locale(environ, []) == environ


def test_working_locale_is_untouched_and_probed_once() -> None:
    probe = FakeGlibc()
    fix = fix_locale({"LANG": "C.UTF-8", "LC_TIME": "de_DE"}, probe, archive_exists=True)
    assert fix.environ == {"LANG": "C.UTF-8", "LC_TIME": "de_DE"}
    assert (fix.warning, fix.note, probe.calls) == ("", "", 1)


def test_locale_archive_retry() -> None:
    fix = fix_locale({"LANG": "en_US.UTF-8"}, FakeGlibc(), archive_exists=True)
    assert fix.environ == {"LANG": "en_US.UTF-8", "LOCALE_ARCHIVE": SYSTEM_LOCALE_ARCHIVE}
    assert fix.warning == "" and "LOCALE_ARCHIVE" in fix.note


def test_missing_locale_falls_back_with_one_warning() -> None:
    environ = {"LANG": "xx_XX.UTF-8", "LC_TIME": "de_DE", "LANGUAGE": "xx", "HOME": "/h"}
    fix = fix_locale(environ, FakeGlibc(), archive_exists=False)
    assert fix.environ == {"LANG": "C.UTF-8", "LC_TIME": "de_DE", "LANGUAGE": "xx", "HOME": "/h"}
    assert fix.warning.count("\n") == 0
    assert "LANG=xx_XX.UTF-8" in fix.warning and "C.UTF-8" in fix.warning


def test_available_but_not_utf8_replaces_the_ctype_variable() -> None:
    fix = fix_locale({"LANG": "C.UTF-8", "LC_CTYPE": "de_DE"}, FakeGlibc(), archive_exists=False)
    assert fix.environ == {"LANG": "C.UTF-8", "LC_CTYPE": "C.UTF-8"}
    assert "LC_CTYPE=de_DE" in fix.warning


def test_nothing_set_gets_a_utf8_lang() -> None:
    fix = fix_locale({}, FakeGlibc(), archive_exists=False)
    assert fix.environ == {"LANG": "C.UTF-8"}
    assert "LANG (unset)" in fix.warning


def test_no_utf8_locale_at_all_keeps_environment_and_warns() -> None:
    probe = FakeGlibc({"C": "ANSI_X3.4-1968"})
    fix = fix_locale({"LANG": "xx_XX.UTF-8"}, probe, archive_exists=False)
    assert fix.environ == {"LANG": "xx_XX.UTF-8"}
    assert "no UTF-8 locale" in fix.warning


def test_is_utf8_spellings() -> None:
    assert is_utf8("UTF-8") and is_utf8("utf8") and not is_utf8("ISO-8859-1") and not is_utf8(None)
