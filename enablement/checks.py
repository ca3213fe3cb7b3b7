"""System checks of our own settings, run by `manage.py check` (`--deploy` for production)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (names, not a bind)


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs) -> list[Warning]:
    """Links in assignment and reminder emails start with TIERWISE_SITE_URL. Left unset it is
    this machine (http://127.0.0.1:8000): every AE would get a link that leads nowhere."""
    if settings.DEBUG:
        return []
    parts = urlsplit(settings.SITE_URL)
    host = (parts.hostname or "").lower()
    if parts.scheme in {"http", "https"} and host and host not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"TIERWISE_SITE_URL is {settings.SITE_URL!r}: links in assignment and reminder "
            "emails would point at this machine, not at the site your AEs use.",
            hint="Set TIERWISE_SITE_URL to the site's public address, e.g. "
            "https://tierwise.example.com.",
            id="tierwise.W001",
        )
    ]
