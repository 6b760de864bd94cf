"""Checks against real mosh programs on loopback (marker e2e)."""
