"""Property and fuzz tests: the receive path and the emulator under hostile or mangled input."""
