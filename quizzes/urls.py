from django.urls import path

from .views import assessment, practice

app_name = "quizzes"
urlpatterns = [
    # Practice
    path("drills/", practice.placeholder, {"title": "Scenario drills"}, name="drills"),
    path("roleplay/", practice.placeholder, {"title": "Role-play"}, name="roleplay"),
    # Assessment
    path("quizzes/", assessment.placeholder, {"title": "Quizzes"}, name="quizzes"),
    path("team/", assessment.placeholder, {"title": "Team"}, name="team"),
    path(
        "team/results.csv",
        assessment.placeholder,
        {"title": "Results"},
        name="team_results_csv",
    ),
]
