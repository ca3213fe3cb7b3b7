from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lessons import home as lessons_home
from practice import home as practice_home
from quizzes import home as quizzes_home
from routing import home as routing_home

from .health import database_problem
from .models import User


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's dashboard: next steps for an AE, the team for a manager."""
    user: User = request.user
    context: dict = {"members": None}
    team = user.managed_team
    if team is not None:
        context["team"] = team
        context["members"] = team.members.aes().order_by("first_name", "username")
    for area in (lessons_home, routing_home, quizzes_home, practice_home):
        context.update(area.home_context(user))
    return render(request, "enablement/home.html", context)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` while the database answers and takes writes; 503 with the reason otherwise.

    For load balancers; no log-in. It reads neither the session nor the user (public views
    pass the middlewares without loading them), so a cookie cannot turn the 503 into a 500.
    """
    problem = database_problem()
    if problem:
        return HttpResponse(problem, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
