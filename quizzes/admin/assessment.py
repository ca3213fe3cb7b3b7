"""Admin for quizzes, assignments and attempts."""
