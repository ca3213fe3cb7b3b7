from django.urls import path

from . import simulator_views, views

app_name = "lessons"
urlpatterns = [
    path("lessons/", views.placeholder, {"title": "Lessons"}, name="index"),
    path("lessons/<slug:slug>/", views.placeholder, {"title": "Lesson"}, name="detail"),
    path("field-guide/", views.placeholder, {"title": "Field guide"}, name="field_guide"),
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
