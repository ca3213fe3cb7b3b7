from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each loader reads version-controlled content from the repository and upserts it by slug,
# so running it again changes nothing and never touches learner progress.
LOADERS = [
    "lessons.loaders.load",
    "quizzes.content.load",
    "practice.content.load",
]


class Command(BaseCommand):
    help = "Load the version-controlled content (lessons, catalogue, banks, quizzes). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for dotted in LOADERS:
            summary = import_string(dotted)()
            self.stdout.write(f"{dotted}: {summary}")
        self.stdout.write(self.style.SUCCESS("Content loaded."))
