"""The shell's locale: the client's -l settings, made to work on this host.

mosh refuses to start when the locale the client asks for is missing. moshz
keeps the client's settings when they work, retries with the system locale
archive (the NixOS-on-another-distribution case: Nix's glibc reads
``LOCALE_ARCHIVE``), and otherwise swaps the missing locales for a UTF-8 one
that exists, with one warning. The probe that asks the host whether a locale
environment works is injected, so this module stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Optional, Sequence
from moshz.locale_variables import LOCALE_VARIABLES

SYSTEM_LOCALE_ARCHIVE = "/usr/lib/locale/locale-archive"
FALLBACK_LOCALES = ("C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8")

# The codeset the locale of an environment selects, or None if that locale is unavailable.
LocaleProbe = Callable[[Mapping[str, str]], Optional[str]]


@dataclass(frozen=True)
class LocaleFix:
    """The environment to give the shell, a warning for everyone and a note for -v."""

    environ: dict[str, str]
    warning: str = ""
    note: str = ""


def is_locale_variable(name: str) -> bool:
    """True for LANG, LANGUAGE and LC_* (the variables mosh forwards with -l)."""
    return name in ("LANG", "LANGUAGE") or name.startswith("LC_")


def without_locale(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` minus every locale variable."""
    return {name: value for name, value in environ.items() if not is_locale_variable(name)}


def apply_client_locale(
    environ: Mapping[str, str], settings: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """The client's -l settings replace the server's locale variables (if any were sent)."""
    if not settings:
        return dict(environ)
    result = without_locale(environ)
    result.update(settings)
    return result


def is_utf8(codeset: str | None) -> bool:
    """True for the UTF-8 codeset under any of its spellings."""
    return codeset is not None and codeset.upper().replace("-", "") == "UTF8"


def fix_locale(environ: Mapping[str, str], probe: LocaleProbe, archive_exists: bool) -> LocaleFix:
    """Make ``environ``'s locale a working UTF-8 one, changing as little as possible."""
    if is_utf8(probe(environ)):
        return LocaleFix(dict(environ))
    if archive_exists and environ.get("LOCALE_ARCHIVE") != SYSTEM_LOCALE_ARCHIVE:
        retry = dict(environ, LOCALE_ARCHIVE=SYSTEM_LOCALE_ARCHIVE)
        if is_utf8(probe(retry)):
            return LocaleFix(retry, note="using LOCALE_ARCHIVE=" + SYSTEM_LOCALE_ARCHIVE)
    fallback = _working_fallback(environ, probe)
    if fallback is None:
        return LocaleFix(dict(environ), warning=_no_fallback_warning(environ))
    fixed, replaced = _replace_unavailable(environ, probe, fallback)
    if not is_utf8(probe(fixed)):
        name = _ctype_variable(fixed)
        replaced.append((name, environ.get(name, "")))
        fixed[name] = fallback
    return LocaleFix(fixed, warning=_fallback_warning(replaced, fallback))


def _working_fallback(environ: Mapping[str, str], probe: LocaleProbe) -> str | None:
    base = without_locale(environ)
    for name in FALLBACK_LOCALES:
        if is_utf8(probe(dict(base, LANG=name))):
            return name
    return None


def _replace_unavailable(
    environ: Mapping[str, str], probe: LocaleProbe, fallback: str
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Swap every locale variable whose locale does not exist here for ``fallback``."""
    base = without_locale(environ)
    fixed = dict(environ)
    replaced: list[tuple[str, str]] = []
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if name == "LANGUAGE" or not value:
            continue
        if probe(dict(base, **{name: value})) is None:
            replaced.append((name, value))
            fixed[name] = fallback
    return fixed, replaced


def _ctype_variable(environ: Mapping[str, str]) -> str:
    """The variable that decides the character set (LC_ALL, then LC_CTYPE, then LANG)."""
    for name in ("LC_ALL", "LC_CTYPE"):
        if environ.get(name):
            return name
    return "LANG"


def _describe(settings: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{name}={value}" if value else f"{name} (unset)" for name, value in settings)


def _fallback_warning(replaced: Sequence[tuple[str, str]], fallback: str) -> str:
    return (
        f"moshz: warning: the locale {_describe(replaced)} is missing or not UTF-8 on this server;"
        f" the shell uses {fallback} instead."
    )


def _no_fallback_warning(environ: Mapping[str, str]) -> str:
    current = [(name, environ[name]) for name in LOCALE_VARIABLES if environ.get(name)]
    return (
        f"moshz: warning: no UTF-8 locale is available on this server;"
        f" the shell keeps {_describe(current) or 'the C locale'}."
    )
