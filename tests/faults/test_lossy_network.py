"""Sessions through a bad network: loss with jitter, duplication and reordering.

Real mosh-client (and the moshz client) talk to a local `moshz --server` through the
impairment relay. Every typed key must arrive exactly once (typed into `cat > file`, the
file is compared) and the final screen must be the right one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.fixtures import SessionFactory
from tests.faults.local import CLIENTS, PROMPT, type_into_file, typed_text
from tests.tools.relay import Impairment
from tests.tools.tmux import Pane

pytestmark = pytest.mark.e2e

LOSSY = Impairment(loss=0.3, jitter_ms=500)
SHUFFLED = Impairment(duplicate=0.5, reorder=0.3, jitter_ms=30)
SEQ_END = 100000


def run_seq(pane: Pane, end: int, timeout: float) -> None:
    """Run `seq end` on a cleared screen; wait until it shows the last 23 numbers and a prompt."""
    pane.line(f"clear; seq {end}")
    expected = [str(n) for n in range(end - 22, end + 1)] + [PROMPT]
    pane.wait_for(
        lambda s: [r.rstrip() for r in s.split("\n")[:24]] == expected,
        "the end of seq's output and a prompt",
        timeout=timeout,
    )


@pytest.mark.parametrize("client", CLIENTS)
def test_typing_through_30_percent_loss_and_jitter(
    client: str,
    relayed_sessions: SessionFactory,
    tmp_path: Path,
) -> None:
    server, relay, pane = relayed_sessions(client, up=LOSSY, down=LOSSY, seed=8)
    text = typed_text(500, seed=1)
    assert type_into_file(pane, server, tmp_path / "typed.txt", text) == text + "\n"
    stats = relay.stats()
    assert stats.up.dropped > 0 and stats.down.dropped > 0


def test_scrolling_through_30_percent_loss_and_jitter(relayed_sessions: SessionFactory) -> None:
    pane = relayed_sessions(up=LOSSY, down=LOSSY, seed=9).pane
    run_seq(pane, SEQ_END, timeout=120)


def test_duplicated_and_reordered_datagrams(
    relayed_sessions: SessionFactory,
    tmp_path: Path,
) -> None:
    server, relay, pane = relayed_sessions(up=SHUFFLED, down=SHUFFLED, seed=10)
    text = typed_text(300, seed=2)
    assert type_into_file(pane, server, tmp_path / "typed.txt", text) == text + "\n"
    run_seq(pane, 3000, timeout=60)
    stats = relay.stats()
    assert min(stats.up.duplicated, stats.down.duplicated, stats.up.reordered) > 0
