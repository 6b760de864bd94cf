"""Tests of the moshz client (moshz/client/, the client runtime pieces)."""
