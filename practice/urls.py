from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("drills/", views.drills, name="drills"),
    path("drills/start/", views.drill_start, name="drill_start"),
    path("drills/<int:pk>/", views.drill_session, name="drill_session"),
    path("drills/<int:pk>/answer/", views.drill_answer, name="drill_answer"),
    path("roleplay/", views.roleplay, name="roleplay"),
    path("roleplay/<slug:slug>/", views.roleplay_prompt, name="roleplay_prompt"),
    path("roleplay/<slug:slug>/reply/", views.roleplay_reply, name="roleplay_reply"),
]
