"""Tierwise settings: one file, driven by the environment.

Every environment variable the app reads is read here, and listed in README.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off a secret key is required: "
            "set DJANGO_SECRET_KEY to 50 or more random characters, or set DJANGO_DEBUG=1 "
            "for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "import_export",
    "enablement",
    "lessons",
    "routing",
    "practice",
    "quizzes",
]

# Order matters for error answers. A middleware's response passes only through the ones listed
# above it, so the header middlewares (and htmx detection, which picks the error's shape) sit
# above everything that reads the session, the user or the form: when one of those fails (the
# database is down, the body can't be parsed), the 500 or 400 still carries CSP and
# X-Frame-Options, and an htmx request still gets the one-line alert.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or error page reads the form: an unreadable body is a 400, not a 500.
    "enablement.middleware.RejectUnreadableFormsMiddleware",
    # Django's, plus HX-Redirect for htmx; public views pass without loading the user.
    "enablement.middleware.LoginRequiredMiddleware",
    "enablement.middleware.RejectNulCharactersMiddleware",
    "enablement.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Turns django-ratelimit's Ratelimited exception into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "enablement.urls"
WSGI_APPLICATION = "enablement.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database: SQLite file by default, PostgreSQL when DATABASE_URL is set ----------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under a web server: wait for a lock rather than fail, immediate write locks.
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: a new SQLite connection parses
    # the whole schema on its first query, which every request would otherwise pay.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DATABASES["default"].setdefault("TEST", {})
if os.environ.get("DJANGO_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["DJANGO_TEST_DATABASE_NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory, or Redis when REDIS_URL is set --------------------------
# Rate-limit counters, cached lesson fragments and sessions (Django's cached_db engine: read
# from the cache, written through to the database, so a cache restart signs nobody out).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "enablement.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection: lock a username from one IP, for a cool-off, never permanently,
# so one office IP cannot lock out a whole team.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "enablement.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "enablement.security.client_ip"
AXES_USERNAME_CALLABLE = "enablement.security.axes_username"

# Reverse proxies in front of the app. 0: the client is REMOTE_ADDR and X-Forwarded-For is
# ignored (a client could forge it to dodge lockouts and rate limits); N: the client is the
# N-th address from the right of X-Forwarded-For, the one our outermost proxy saw.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# --- Email: console by default, SMTP when EMAIL_HOST is set -------------------------------
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Tierwise <noreply@tierwise.local>"
)
# Links in emails sent outside a request (assignment reminders from cron) start with this.
SITE_URL = os.environ.get("TIERWISE_SITE_URL", "http://127.0.0.1:8000")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files through whitenoise --------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env_bool("DJANGO_TESTING"):
    # Tests render templates without running collectstatic first.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    # A fast hasher: the security tests log in hundreds of times (never outside tests).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token comes from the page's meta tag
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# No inline scripts or styles anywhere; htmx is configured (meta tag) to need no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Friendly pages for CSRF failures; every denial is logged (enablement/errors.py).
CSRF_FAILURE_VIEW = "enablement.errors.csrf_failure"

# --- Product limits (documented in README) ---------------------------------------------------
# Unset: the threshold measured on held-out writers when the router was trained (train_router).
ROUTER_STEP_UP_THRESHOLD = (
    float(os.environ["ROUTER_STEP_UP_THRESHOLD"])
    if os.environ.get("ROUTER_STEP_UP_THRESHOLD")
    else None
)

# Rate limits (django-ratelimit) count in the default cache: per worker in local memory, shared
# across workers with REDIS_URL (set it in production). Views opt in with
# @ratelimit(key="user_or_ip", rate=..., method="POST", block=True); an exceeded limit answers
# 429 with templates/429.html. RATELIMIT_ENABLE=0 turns them off (the load benchmark only).
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", default=True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "enablement.errors.ratelimited"
RATELIMIT_IP_META_KEY = "enablement.security.client_ip"

# --- Logging: security events to stderr -------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "tierwise.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Background tasks (django-tasks): reminder emails (quizzes/tasks.py) ---------------------
# The database backend, so enqueueing needs nothing beyond the database; `python manage.py
# db_worker` runs them (make run starts one beside the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Single sign-on: OpenID Connect through django-allauth (enablement/sso.py) ---------------
# Off unless TIERWISE_OIDC_ISSUER is set; endpoints come from the issuer's discovery document.
OIDC_ISSUER = os.environ.get("TIERWISE_OIDC_ISSUER", "").strip()
OIDC_NAME = os.environ.get("TIERWISE_OIDC_NAME", "").strip() or "your company account"
OIDC_ROLE_CLAIM = os.environ.get("TIERWISE_OIDC_ROLE_CLAIM", "").strip()
OIDC_TEAM_CLAIM = os.environ.get("TIERWISE_OIDC_TEAM_CLAIM", "").strip()
SSO_ONLY = env_bool("TIERWISE_SSO_ONLY", default=False)
SSO_PROVIDER_ID = "company"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": SSO_PROVIDER_ID,
                    "name": OIDC_NAME,
                    "client_id": os.environ.get("TIERWISE_OIDC_CLIENT_ID", ""),
                    "secret": os.environ.get("TIERWISE_OIDC_CLIENT_SECRET", ""),
                    "settings": {
                        "server_url": OIDC_ISSUER,
                        "oauth_pkce_enabled": True,
                        "fetch_userinfo": True,
                    },
                }
            ]
            if OIDC_ISSUER
            else []
        ),
    }
}
SOCIALACCOUNT_ADAPTER = "enablement.sso.CompanyAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = True  # reached only through enablement.sso.start (a CSRF'd POST)
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_EMAIL_VERIFICATION = "none"  # the IdP verifies; enablement.sso refuses unverified
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*"]
