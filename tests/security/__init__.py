"""Security checks: where the session key may never appear, nonces, replays, abandoned servers."""
