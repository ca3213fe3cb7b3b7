from django.urls import path

from . import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/", views.quiz_list, name="quizzes"),
    path("quizzes/attempts/<int:pk>/", views.attempt_take, name="attempt_take"),
    path("quizzes/attempts/<int:pk>/answer/", views.attempt_answer, name="attempt_answer"),
    path("quizzes/attempts/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("quizzes/attempts/<int:pk>/result/", views.attempt_result, name="attempt_result"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", views.quiz_start, name="quiz_start"),
    path("team/", views.team, name="team"),
    path("team/assign/", views.team_assign, name="team_assign"),
    path("team/results.csv", views.team_results_csv, name="team_results_csv"),
    path("certification/", views.certification_page, name="certification"),
    path("certificates/<uuid:public_id>/", views.certificate, name="certificate"),
    path("certificates/<uuid:public_id>.pdf", views.certificate_pdf, name="certificate_pdf"),
]
