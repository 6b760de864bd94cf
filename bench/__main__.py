"""``python3 -m bench``: run the registered workloads, print a table, write bench/results.json."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import platform
import sys
from pathlib import Path
from typing import Sequence

import bench
from bench.registry import REGISTRY, Figure, Options

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"
_COLUMNS = ("workload", "metric", "moshz", "mosh", "moshz/mosh", "unit", "better")


def discover() -> None:
    """Import every module of the bench package so that its workloads register."""
    for module in pkgutil.iter_modules(bench.__path__):
        if module.name not in ("__main__", "registry"):
            importlib.import_module(f"bench.{module.name}")


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def format_table(figures: Sequence[Figure]) -> str:
    """The figures as an aligned text table, with the moshz/mosh ratio where mosh was measured."""
    rows = [_COLUMNS] + [
        (f.workload, f.metric, _number(f.value), _number(f.mosh), _number(f.ratio), f.unit,
         "higher" if f.higher_is_better else "lower")
        for f in figures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def results_document(figures: Sequence[Figure]) -> dict:
    """What goes into results.json: the figures and where they were measured."""
    return {
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "figures": [dict(f._asdict(), ratio=f.ratio) for f in figures],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of the benchmark runner."""
    parser = argparse.ArgumentParser(prog="python3 -m bench", description=__doc__)
    parser.add_argument("--only", action="append", metavar="NAME", help="run just this workload")
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run, rough numbers")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--list", action="store_true", help="list the workloads and exit")
    args = parser.parse_args(argv)
    discover()
    if args.list:
        print("\n".join(sorted(REGISTRY)))
        return 0
    names = args.only or sorted(REGISTRY)
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    options = Options(seconds=0.1 if args.quick else args.seconds, quick=args.quick)
    figures: list[Figure] = []
    failed = []
    for name in names:
        try:
            figures.extend(REGISTRY[name](options))
        except Exception as error:  # one broken workload must not hide the others' figures
            print(f"bench: workload {name} failed: {error!r}", file=sys.stderr)
            failed.append(name)
    print(format_table(figures))
    args.output.write_text(json.dumps(results_document(figures), indent=1) + "\n")
    print(f"written to {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
