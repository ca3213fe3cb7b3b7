from django.urls import path

from .views import assessment, practice

app_name = "quizzes"
urlpatterns = [
    # Practice
    path("drills/", practice.drills, name="drills"),
    path("drills/start/", practice.drill_start, name="drill_start"),
    path("drills/<int:pk>/", practice.drill_session, name="drill_session"),
    path("drills/<int:pk>/answer/", practice.drill_answer, name="drill_answer"),
    path("roleplay/", practice.roleplay, name="roleplay"),
    path("roleplay/<slug:slug>/", practice.roleplay_prompt, name="roleplay_prompt"),
    path("roleplay/<slug:slug>/reply/", practice.roleplay_reply, name="roleplay_reply"),
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
