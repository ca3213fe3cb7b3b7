from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lessons import home as lessons_home
from practice import home as practice_home
from quizzes import home as quizzes_home
from routing import home as routing_home

from . import sso
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


class PasswordLoginForm(AuthenticationForm):
    """Django's log-in form; with TIERWISE_SSO_ONLY=1 only staff may use a password (the
    break-glass admin login), everyone else signs in with the company's identity provider."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if settings.SSO_ONLY and not user.is_staff:
            raise ValidationError(
                f"Sign in with {settings.OIDC_NAME} instead: this site uses single sign-on.",
                code="sso_only",
            )


class TierwiseLoginView(auth_views.LoginView):
    form_class = PasswordLoginForm

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["sso_name"] = settings.OIDC_NAME if sso.enabled() else ""
        context["show_password_form"] = not settings.SSO_ONLY or bool(self.request.GET.get("staff"))
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if sso.enabled():
            # The SSO button's form ends at the identity provider (after our redirects), and
            # browsers apply form-action to the whole chain: allow that one origin here.
            response._csp_update = {"form-action": [sso.issuer_origin()]}
        return response


login = TierwiseLoginView.as_view()
