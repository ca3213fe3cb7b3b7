"""Routing simulator records (guesses, disagreements)."""
