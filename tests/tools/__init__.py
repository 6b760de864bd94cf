"""End-to-end test tooling: impairment relay, private sshd, tmux harness, screen comparison."""
