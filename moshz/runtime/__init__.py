"""The only layer that touches the operating system: sockets, ptys, ttys, clocks, signals."""
