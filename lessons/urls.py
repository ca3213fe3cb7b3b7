from django.urls import path

from . import simulator_views, views

app_name = "lessons"
urlpatterns = [
    path("lessons/", views.index, name="index"),
    # Fixed paths before the slug route, so no lesson slug can shadow them.
    path("lessons/catalogue/", views.catalogue, name="catalogue"),
    path("lessons/<slug:slug>/", views.detail, name="detail"),
    path("lessons/<slug:slug>/complete/", views.complete, name="complete"),
    path("lessons/<slug:slug>/check/<int:question_id>/", views.check, name="check"),
    path("field-guide/", views.field_guide, name="field_guide"),
    # The routing simulator and the routing plan (lessons/simulator_views.py).
    path("simulator/", simulator_views.simulator, name="simulator"),
    path("simulator/route/", simulator_views.simulator_route, name="simulator_route"),
    path("simulator/guess/", simulator_views.simulator_guess, name="simulator_guess"),
    path("simulator/mode/", simulator_views.simulator_mode, name="simulator_mode"),
    path("simulator/disagree/", simulator_views.simulator_disagree, name="simulator_disagree"),
    path("simulator/plan/", simulator_views.plan, name="plan"),
    path("simulator/plan/<int:pk>/", simulator_views.plan_detail, name="plan_detail"),
    path("simulator/plan/<int:pk>/print/", simulator_views.plan_print, name="plan_print"),
]
