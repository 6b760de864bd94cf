"""Tests for the State Synchronization Protocol core."""
