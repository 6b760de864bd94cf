"""moshz --server: a drop-in mosh-server (sans-I/O pieces and the session)."""
