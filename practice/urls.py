from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("drills/", views.drills, name="drills"),
    path("drills/start/", views.drill_start, name="drill_start"),
    path("drills/<int:pk>/", views.drill_session, name="drill_session"),
    path("drills/<int:pk>/answer/", views.drill_answer, name="drill_answer"),
    path("roleplay/", views.roleplay, name="roleplay"),
    path(
        "roleplay/scripts/<slug:slug>/start/",
        views.conversation_start,
        name="conversation_start",
    ),
    path("roleplay/scripts/<slug:slug>/rubric/", views.rubric_edit, name="rubric"),
    path("roleplay/conversations/<int:pk>/", views.conversation_page, name="conversation"),
    path(
        "roleplay/conversations/<int:pk>/reply/",
        views.conversation_reply,
        name="conversation_reply",
    ),
    path(
        "roleplay/conversations/<int:pk>/abandon/",
        views.conversation_abandon,
        name="conversation_abandon",
    ),
    path(
        "roleplay/conversations/<int:pk>/review/",
        views.conversation_review,
        name="conversation_review",
    ),
    path("roleplay/<slug:slug>/", views.roleplay_prompt, name="roleplay_prompt"),
    path("roleplay/<slug:slug>/reply/", views.roleplay_reply, name="roleplay_reply"),
]
