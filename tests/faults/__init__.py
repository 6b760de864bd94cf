"""End-to-end fault tests: real UDP through the impairment relay, real pty, tmux."""
