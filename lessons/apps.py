from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = "Learning"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the receivers)
