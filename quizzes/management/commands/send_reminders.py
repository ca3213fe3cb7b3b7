from django.core.management.base import BaseCommand

from quizzes.tasks import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due now (assignments due within 48 hours or overdue; certificates "
        "expiring within 30 days or due for recertification), the same sweep the background "
        "worker runs. Safe to run every hour from cron: each reminder goes out once."
    )

    def handle(self, *args, **options) -> None:
        sent = send_due_reminders.call()
        self.stdout.write(
            f"Sent {sent['due_soon']} due-soon and {sent['overdue']} overdue reminders, "
            f"{sent['certificate_expiring']} certificate-expiry and "
            f"{sent['certificate_recertify']} recertification reminders."
        )
