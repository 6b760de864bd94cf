"""The captured real-mosh sessions and RFC 7253 vectors, kept in the repo (copied from shared/vectors).

Every suite loads them from here, so a clone without shared/ beside it still runs its tests.
"""

from __future__ import annotations

from pathlib import Path

VECTORS = Path(__file__).resolve().parent
