from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_ratelimit.decorators import ratelimit

from . import sso, views
from .security import reset_address_key

# Log-in: django-axes pauses one username from one IP after a few failures; this limit also
# caps what one IP may try across many usernames, on both log-in forms (the site's and the
# admin's share one count). The decorator answers 429 before the view runs, so a refused
# attempt costs no password hashing.
login_limit = ratelimit(group="login:ip", key="ip", rate="20/m", method="POST")
login = login_limit(views.login)
admin_login = login_limit(admin.site.login)

# Password reset sends email: limit it per client IP and per address asked for, so the form
# cannot be used to flood an inbox or our mail relay. The answer is the same page whether
# or not an account has that address. The address is counted as Django matches it to an
# account (stripped, any case), so writing it differently does not reset the count.
password_reset = ratelimit(group="password_reset:ip", key="ip", rate="10/h", method="POST")(
    ratelimit(group="password_reset:email", key=reset_address_key, rate="3/h", method="POST")(
        auth_views.PasswordResetView.as_view()
    )
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", login, name="login"),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/sso/", sso.start, name="sso_start"),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("admin/login/", admin_login),
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
