"""The State Synchronization Protocol: a sans-I/O transport with mosh 1.4's timing."""
