"""Differential test: random escape-heavy output gives the screen real mosh gives.

Each stream runs through a real mosh-server (whose emulator is the reference) and a real
mosh-client in a small tmux pane; the pane's text, cursor and the renditions of its
non-blank cells must equal our emulator's frame of the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import Phase, given, settings

from tests.term.captured.record import mosh_screen
from tests.term.test_emulator_captured import assert_same_screen, replay
from tests.term.test_emulator_fuzz import escape_heavy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which("mosh-server") and shutil.which("mosh-client") and shutil.which("tmux")),
        reason="needs mosh-server, mosh-client and tmux",
    ),
]

WIDTH, HEIGHT = 12, 8


@settings(max_examples=6, deadline=None, derandomize=True, phases=[Phase.generate])
@given(stream=escape_heavy())
def test_random_streams_match_real_mosh(stream: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as handle:
        handle.write(stream)
    try:
        mosh = mosh_screen(handle.name, WIDTH, HEIGHT)
    finally:
        os.unlink(handle.name)
    assert_same_screen(replay(stream, WIDTH, HEIGHT), mosh)
