"""Entry point for ``python -m moshz`` and the shiv-built ``moshz`` file."""

from moshz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
