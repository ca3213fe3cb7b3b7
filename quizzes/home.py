"""What the quizzes app adds to the home dashboard: practice stats and assignments."""

from enablement.models import User


def practice_home_context(user: User) -> dict:
    return {}


def assessment_home_context(user: User) -> dict:
    return {}


def home_context(user: User) -> dict:
    return {**practice_home_context(user), **assessment_home_context(user)}
