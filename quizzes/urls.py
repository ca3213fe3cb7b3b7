from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("drills/", views.placeholder, {"title": "Scenario drills"}, name="drills"),
    path("roleplay/", views.placeholder, {"title": "Role-play"}, name="roleplay"),
    path("quizzes/", views.placeholder, {"title": "Quizzes"}, name="quizzes"),
    path("team/", views.placeholder, {"title": "Team"}, name="team"),
    path("team/results.csv", views.placeholder, {"title": "Results"}, name="team_results_csv"),
]
