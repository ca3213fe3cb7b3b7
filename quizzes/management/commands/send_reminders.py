from django.core.management.base import BaseCommand

from quizzes.services import send_reminders


class Command(BaseCommand):
    help = (
        "Email AEs whose assignments are due within 48 hours or overdue. Safe to run every "
        "hour from cron: each reminder (due soon, overdue) goes to each AE once per assignment."
    )

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(
            f"Sent {sent['due_soon']} due-soon and {sent['overdue']} overdue reminders."
        )
