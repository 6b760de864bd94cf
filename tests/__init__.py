"""moshz's test suite (a package, so that `tests.tools` imports the same way everywhere)."""
