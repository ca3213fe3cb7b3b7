"""The real URLconf plus a few test-only views that fail or limit on purpose.

Used with @pytest.mark.urls("tests.enablement.urls_for_tests"); never part of the app.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from enablement.urls import handler400, handler403, handler404, handler500  # noqa: F401
from enablement.urls import urlpatterns as real_urlpatterns


@require_safe
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internal detail: /srv/tierwise/settings.py line 42")


@require_safe
def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason not for users")


@require_safe
def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("internal reason not for users")


@ratelimit(key="user_or_ip", rate="3/m", method="POST", block=True)
@require_POST
def limited(request: HttpRequest) -> HttpResponse:
    return HttpResponse("accepted")


urlpatterns = [
    path("test-only/boom/", boom),
    path("test-only/forbidden/", forbidden),
    path("test-only/suspicious/", suspicious),
    path("test-only/limited/", limited),
    *real_urlpatterns,
]
