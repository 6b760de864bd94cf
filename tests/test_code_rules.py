"""The code rules of DESIGN.md that tools can check: Python 3.8 compatibility and ruff."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed")
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                          check=False)


def test_moshz_runs_on_python_3_8():
    done = _run("vermin", "-t=3.8-", "--violations", "--no-tips", "moshz")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_clean():
    done = _run("ruff", "check", "--output-format", "concise", "moshz", "tests", "bench", "build.py")
    assert done.returncode == 0, done.stdout + done.stderr
