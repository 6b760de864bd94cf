"""End-to-end tests against a real sshd, real mosh and tmux (marker `e2e`)."""
