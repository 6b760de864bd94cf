"""Test doubles shared by the suites: a fake clock and a seeded lossy network."""
