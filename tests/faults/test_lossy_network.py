"""Sessions through a bad network: loss with jitter, duplication and reordering.

Real mosh-client (and the moshz client) talk to a local `moshz --server` through the
impairment relay. Every typed key must arrive exactly once (typed into `cat > file`, the
file is compared) and the final screen must be the right one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.fixtures import RelayFactory, ServerFactory
from tests.faults.local import CLIENTS, PROMPT, open_client, type_into_file, typed_text
from tests.tools.relay import Impairment
from tests.tools.tmux import Tmux

pytestmark = pytest.mark.e2e

LOSSY = Impairment(loss=0.3, jitter_ms=500)
SHUFFLED = Impairment(duplicate=0.5, reorder=0.3, jitter_ms=30)
SEQ_END = 100000


@pytest.mark.parametrize("client", CLIENTS)
def test_typing_through_30_percent_loss_and_jitter(
    client: str,
    tmux: Tmux,
    local_servers: ServerFactory,
    tap_relays: RelayFactory,
    moshz_file: str,
    tmp_path: Path,
) -> None:
    server = local_servers()
    relay = tap_relays(server.port, up=LOSSY, down=LOSSY, seed=8)
    pane = open_client(tmux, client, moshz_file, relay.port, server.key)
    text = typed_text(500, seed=1)
    assert type_into_file(pane, server, tmp_path / "typed.txt", text) == text + "\n"
    stats = relay.stats()
    assert stats.up.dropped > 0 and stats.down.dropped > 0


def test_scrolling_through_30_percent_loss_and_jitter(
    tmux: Tmux, local_servers: ServerFactory, tap_relays: RelayFactory, moshz_file: str
) -> None:
    server = local_servers()
    relay = tap_relays(server.port, up=LOSSY, down=LOSSY, seed=9)
    pane = open_client(tmux, "mosh-client", moshz_file, relay.port, server.key)
    pane.line(f"clear; seq {SEQ_END}")
    expected = [str(n) for n in range(SEQ_END - 22, SEQ_END + 1)] + [PROMPT]
    pane.wait_for(
        lambda s: [r.rstrip() for r in s.split("\n")[:24]] == expected,
        "the end of seq's output and a prompt",
        timeout=120,
    )


def test_duplicated_and_reordered_datagrams(
    tmux: Tmux,
    local_servers: ServerFactory,
    tap_relays: RelayFactory,
    moshz_file: str,
    tmp_path: Path,
) -> None:
    server = local_servers()
    relay = tap_relays(server.port, up=SHUFFLED, down=SHUFFLED, seed=10)
    pane = open_client(tmux, "mosh-client", moshz_file, relay.port, server.key)
    text = typed_text(300, seed=2)
    assert type_into_file(pane, server, tmp_path / "typed.txt", text) == text + "\n"
    pane.line("clear; seq 3000")
    expected = [str(n) for n in range(3000 - 22, 3001)] + [PROMPT]
    pane.wait_for(
        lambda s: [r.rstrip() for r in s.split("\n")[:24]] == expected,
        "the end of seq's output and a prompt",
        timeout=60,
    )
    stats = relay.stats()
    assert min(stats.up.duplicated, stats.down.duplicated, stats.up.reordered) > 0
