from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes and assignments"

    def ready(self) -> None:
        from enablement.signals import evidence_recorded

        from .certification import on_evidence_recorded

        evidence_recorded.connect(on_evidence_recorded, dispatch_uid="quizzes.certification")
