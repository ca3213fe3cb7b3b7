from django.apps import AppConfig


class EnablementConfig(AppConfig):
    name = "enablement"
    verbose_name = "People and teams"

    def ready(self) -> None:
        # Security events log (enablement/security.py): log-ins, failures and lockouts.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import checks, security  # noqa: F401 (checks registers the system checks)

        user_logged_in.connect(security.on_user_logged_in, dispatch_uid="tierwise-login")
        user_login_failed.connect(security.on_user_login_failed, dispatch_uid="tierwise-failed")
        user_locked_out.connect(security.on_user_locked_out, dispatch_uid="tierwise-lockout")
