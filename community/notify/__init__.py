"""Texts to residents when the response to their concern changes."""
