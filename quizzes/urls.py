from django.urls import path

from .views import assessment, practice

app_name = "quizzes"
urlpatterns = [
    # Practice
    path("drills/", practice.placeholder, {"title": "Scenario drills"}, name="drills"),
    path("roleplay/", practice.placeholder, {"title": "Role-play"}, name="roleplay"),
    # Assessment
    path("quizzes/", assessment.quiz_list, name="quizzes"),
    path("quizzes/attempts/<int:pk>/", assessment.attempt_take, name="attempt_take"),
    path("quizzes/attempts/<int:pk>/answer/", assessment.attempt_answer, name="attempt_answer"),
    path("quizzes/attempts/<int:pk>/submit/", assessment.attempt_submit, name="attempt_submit"),
    path("quizzes/attempts/<int:pk>/result/", assessment.attempt_result, name="attempt_result"),
    path("quizzes/<slug:slug>/", assessment.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", assessment.quiz_start, name="quiz_start"),
    path("team/", assessment.team, name="team"),
    path("team/assign/", assessment.team_assign, name="team_assign"),
    path("team/results.csv", assessment.team_results_csv, name="team_results_csv"),
]
