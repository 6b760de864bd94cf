"""Shared test data for the crypto tests: the RFC 7253 samples, mosh captures, both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moshz.crypto.ocb_pure import PureOcb
from tests.vectors import VECTORS


def load(name: str) -> dict[str, Any]:
    """One JSON file of tests/vectors."""
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)


def sessions() -> list[tuple[str, dict[str, Any]]]:
    """(file name, contents) of every recorded mosh session."""
    paths = sorted(VECTORS.glob("mosh_session_*.json"))
    assert paths, f"no mosh_session_*.json under {VECTORS}"
    return [(p.name, load(p.name)) for p in paths]


def _native_param() -> Any:
    """The native backend as a test parameter, skipped where cryptography cannot load."""
    try:
        from moshz.crypto.ocb_native import NativeOcb
    except ImportError as exc:
        return pytest.param(None, id="native", marks=pytest.mark.skip(reason=str(exc)))
    return pytest.param(NativeOcb, id="native")


BACKENDS = [pytest.param(PureOcb, id="pure"), _native_param()]
