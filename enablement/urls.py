from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_ratelimit.decorators import ratelimit

from . import sso, views

# Password reset sends email: limit it per client IP and per address asked for, so the form
# cannot be used to flood an inbox or our mail relay. The answer is the same page whether
# or not an account has that address.
password_reset = ratelimit(group="password_reset:ip", key="ip", rate="10/h", method="POST")(
    ratelimit(group="password_reset:email", key="post:email", rate="3/h", method="POST")(
        auth_views.PasswordResetView.as_view()
    )
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/sso/", sso.start, name="sso_start"),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("admin/", admin.site.urls),
    path("", include("lessons.urls")),
    path("", include("routing.urls")),
    path("", include("practice.urls")),
    path("", include("quizzes.urls")),
]

# Error pages in the site's layout (enablement/errors.py); CSRF_FAILURE_VIEW and
# RATELIMIT_VIEW live there too.
handler400 = "enablement.errors.bad_request"
handler403 = "enablement.errors.permission_denied"
handler404 = "enablement.errors.page_not_found"
handler500 = "enablement.errors.server_error"
