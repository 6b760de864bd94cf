"""The moshz client: command lines, ssh bootstrap, overlays and the session on the user's terminal."""
