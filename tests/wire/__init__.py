"""Tests of moshz.wire: protobuf, messages, packets and fragments."""
