"""What every session workload shares: a private tmux, a work directory, the two implementations."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, NamedTuple, TypeVar

from bench.registry import Figure, Options
from bench.sessions.config import DEFAULT, TINY, Config
from bench.sessions.impls import Implementation, mosh, moshz
from bench.sessions.shell import install_timed
from tests.tools.tmux import Tmux


@dataclass(frozen=True)
class Context:
    """The tmux server, work directory (the remote shell's cwd), sizes, and both implementations."""

    tmux: Tmux
    workdir: Path
    config: Config
    impls: list[Implementation]


class Metric(NamedTuple):
    """One figure a workload produces for each implementation (lower is better unless said)."""

    label: str
    unit: str
    higher_is_better: bool = False


T = TypeVar("T")
Results = Dict[str, float]
Measure = Callable[[Context, Implementation, Results], None]


@contextmanager
def session_context(options: Options) -> Iterator[Context]:
    """A fresh tmux and work directory (moshz unpacks into it too), removed afterwards."""
    config = TINY if options.quick else DEFAULT
    with tempfile.TemporaryDirectory(prefix="moshz-bench-") as tmp:
        workdir = Path(tmp)
        install_timed(workdir)
        tmux = Tmux()
        try:
            yield Context(tmux, workdir, config, [mosh(), moshz(str(workdir / "shiv"))])
        finally:
            tmux.kill()


def guarded(name: str, action: Callable[[], T]) -> T | None:
    """Run one implementation's step; on failure say why (it shows as n/a) and return None."""
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - the harness goes on whatever happens
        print(f"  {name}: n/a from here on ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def measure_safely(measure: Measure, context: Context, impl: Implementation) -> Results:
    """Run one implementation's measurements, keeping what was measured before any failure."""
    results: Results = {}
    guarded(impl.name, lambda: measure(context, impl, results))
    return results


def figures(workload: str, metrics: list[Metric], by_impl: dict[str, Results]) -> list[Figure]:
    """Side-by-side figures: moshz's value beside mosh's (None where one was not measured)."""
    moshz_results, mosh_results = by_impl.get("moshz", {}), by_impl.get("mosh", {})
    return [
        Figure(
            workload,
            m.label,
            _get(moshz_results, m),
            m.unit,
            _get(mosh_results, m),
            m.higher_is_better,
        )
        for m in metrics
    ]


def _get(results: Results, metric: Metric) -> float | None:
    return results.get(metric.label)


def side_by_side(
    workload: str, metrics: list[Metric], context: Context, measure: Measure
) -> list[Figure]:
    """Measure each implementation in turn and pair the results up."""
    by_impl = {}
    for impl in context.impls:
        print(f"{workload}: {impl.name}", file=sys.stderr)
        by_impl[impl.name] = measure_safely(measure, context, impl)
    return figures(workload, metrics, by_impl)
