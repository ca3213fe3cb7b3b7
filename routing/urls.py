from django.urls import path

from . import views

app_name = "routing"
urlpatterns = [
    path("simulator/", views.simulator, name="simulator"),
    path("simulator/route/", views.simulator_route, name="simulator_route"),
    path("simulator/guess/", views.simulator_guess, name="simulator_guess"),
    path("simulator/mode/", views.simulator_mode, name="simulator_mode"),
    path("simulator/disagree/", views.simulator_disagree, name="simulator_disagree"),
    path("simulator/plan/", views.plan, name="plan"),
    path("simulator/plan/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("simulator/plan/<int:pk>/print/", views.plan_print, name="plan_print"),
]
