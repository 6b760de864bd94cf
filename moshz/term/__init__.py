"""Terminal emulation, the immutable frame model and the frame-to-frame renderer."""
