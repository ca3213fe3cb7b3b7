from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("lessons/", views.index, name="index"),
    # Fixed paths before the slug route, so no lesson slug can shadow them.
    path("lessons/catalogue/", views.catalogue, name="catalogue"),
    path("lessons/<slug:slug>/", views.detail, name="detail"),
    path("lessons/<slug:slug>/complete/", views.complete, name="complete"),
    path("lessons/<slug:slug>/check/<int:question_id>/", views.check, name="check"),
    path("field-guide/", views.field_guide, name="field_guide"),
]
