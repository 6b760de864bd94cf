"""Tests for the synchronized states."""
