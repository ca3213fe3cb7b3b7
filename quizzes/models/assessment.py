"""Quizzes, assignments, attempts and results."""
