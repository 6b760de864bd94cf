"""The sans-I/O rule of DESIGN.md: only moshz/runtime/ and moshz/cli.py may touch the OS.

Every other module takes time as ``now`` and randomness as an argument, so it never imports
sockets, selectors, ptys, terminals, signals, processes, clocks, threads or asyncio, not even
inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "moshz"
FORBIDDEN = frozenset(
    ["socket", "selectors", "select", "pty", "termios", "tty", "fcntl", "signal", "subprocess", "time", "threading", "asyncio"]
)
OS_LAYER = ("runtime/", "cli.py")


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, top-level module name) of every absolute import anywhere in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.partition(".")[0]


def core_modules() -> list[Path]:
    """Every module of moshz outside the OS layer."""
    paths = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith(OS_LAYER):
            paths.append(path)
    return paths


def test_rule_sees_the_core():
    rels = {p.relative_to(PACKAGE).as_posix() for p in core_modules()}
    assert "crypto/session.py" in rels and "errors.py" in rels
    assert not any(r.startswith("runtime/") for r in rels) and "cli.py" not in rels


def test_checker_finds_nested_and_dotted_imports():
    tree = ast.parse("def f():\n    import time\nfrom socket import socket\nimport os.path\n")
    assert sorted(name for _, name in imported_modules(tree)) == ["os", "socket", "time"]


@pytest.mark.parametrize(
    "path", core_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_core_module_does_no_io(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [f"line {line}: {name}" for line, name in imported_modules(tree) if name in FORBIDDEN]
    assert not bad, f"{path.relative_to(PACKAGE)} imports OS-layer modules: {', '.join(bad)}"
