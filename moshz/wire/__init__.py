"""The byte formats under the crypto layer: protobuf, messages, packets, fragments."""

from __future__ import annotations
