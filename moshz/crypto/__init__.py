"""AES-128-OCB3 datagram sealing as mosh does it, with a native and a pure-Python backend."""
