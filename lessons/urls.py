from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("lessons/", views.placeholder, {"title": "Lessons"}, name="index"),
    path("lessons/<slug:slug>/", views.placeholder, {"title": "Lesson"}, name="detail"),
    path("field-guide/", views.placeholder, {"title": "Field guide"}, name="field_guide"),
    path("simulator/", views.placeholder, {"title": "Routing simulator"}, name="simulator"),
    path("simulator/plan/", views.placeholder, {"title": "Routing plan"}, name="plan"),
]
