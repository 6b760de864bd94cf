"""The benchmark runner: workloads register, the table shows ratios, results.json is written."""

from __future__ import annotations

import json

from bench import __main__ as runner
from bench.registry import REGISTRY, Figure


def test_table_shows_ratio_only_with_a_mosh_figure():
    table = runner.format_table([
        Figure("w", "throughput", 2.0, "MB/s", mosh=4.0),
        Figure("w", "latency", 30.0, "ms", higher_is_better=False),
    ]).splitlines()
    assert table[0].split() == ["workload", "metric", "moshz", "mosh", "moshz/mosh", "unit",
                                "better"]
    assert table[2].split() == ["w", "throughput", "2", "4", "0.5", "MB/s", "higher"]
    assert table[3].split() == ["w", "latency", "30", "n/a", "n/a", "ms", "lower"]


def test_quick_crypto_run_writes_results(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert runner.main(["--only", "crypto", "--quick", "--output", str(out)]) == 0
    assert "crypto" in REGISTRY
    figures = json.loads(out.read_text())["figures"]
    assert {f["workload"] for f in figures} >= {"crypto-pure"}
    assert all(f["value"] > 0 and f["unit"] == "MB/s" for f in figures)
    assert "crypto-pure" in capsys.readouterr().out
