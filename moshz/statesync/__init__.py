"""The two synchronized states: the user's input stream and the terminal."""
