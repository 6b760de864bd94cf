"""Tests of the benchmark harness itself (that it runs, never how fast anything is)."""
