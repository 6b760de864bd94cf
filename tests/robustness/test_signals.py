"""A moshz client told to stop by a signal ends the session as mosh-client does.

SIGTERM, SIGINT, SIGHUP and SIGPIPE sent to the client of a `moshz --local` session: it shuts
the session down, says it is exiting, exits with status 0 and leaves the terminal as it was;
the local server and the shell end too.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.client.e2e_support import LOCAL_SHELL, PROMPT_MARK
from tests.robustness.support import around, assert_nothing_left, exit_restored
from tests.tools.account import PROMPT
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e


SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE]


@pytest.mark.parametrize("signum", SIGNALS, ids=[sig.name for sig in SIGNALS])
def test_signal_ends_the_session_cleanly(
    tmux: Tmux, moshz_file: str, tmp_path: Path, signum: int
) -> None:
    record = tmp_path / "run"
    argv = around([moshz_file, "--local", "--", *LOCAL_SHELL], record)
    pane = tmux.new_pane(argv, env={"PS1": PROMPT})
    pane.wait_for_text(PROMPT_MARK, timeout=30)
    shell = pane.pid()
    (client,) = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    os.kill(int(client), signum)
    assert exit_restored(pane, record) == 0, pane.dump()
    assert "[mosh is exiting.]" in pane.capture(), pane.dump()
    assert_nothing_left(tmux)
