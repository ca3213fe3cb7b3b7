from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from enablement.models import Role, Team, User

# The history is built by the quizzes app, which may use every area's services (imports run
# one way: this command names it, as load_content names each app's loader).
HISTORY_BUILDER = "quizzes.demo.build_history"
DEMO_PASSWORD = "tierwise-demo"
DEMO_TEAM = "Demo West"
DEMO_PEOPLE = [
    # username, first, last, role
    ("demo-manager", "Morgan", "Reyes", Role.MANAGER),
    ("demo-ae1", "Avery", "Chen", Role.AE),
    ("demo-ae2", "Jordan", "Patel", Role.AE),
    ("demo-ae3", "Sam", "Okafor", Role.AE),
    ("demo-admin", "Riley", "Novak", Role.ADMIN),
]


class Command(BaseCommand):
    help = (
        "Create the demo team 'Demo West' (demo-manager, demo-ae1..3) and staff demo-admin, "
        f"all with password '{DEMO_PASSWORD}'. Idempotent. Refuses with DEBUG off unless --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (not for production)."
        )
        parser.add_argument(
            "--history",
            action="store_true",
            help="Also give Demo West twelve AEs with six weeks of activity (needs load_content).",
        )

    @transaction.atomic
    def handle(self, *args, force: bool = False, history: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it refuses to run "
                "with DEBUG off. Use --force if you really mean it (never in production)."
            )
        users: dict[str, User] = {}
        for username, first, last, role in DEMO_PEOPLE:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name, user.role = first, last, role
            user.email = f"{username}@demo.tierwise.local"
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            users[username] = user
        team, _ = Team.objects.update_or_create(
            name=DEMO_TEAM, defaults={"manager": users["demo-manager"]}
        )
        for user in users.values():
            user.team = team if user.role == Role.AE else None
            user.save()
        if history:
            for line in import_string(HISTORY_BUILDER)(password=DEMO_PASSWORD):
                self.stdout.write(f"  {line}")
            self.stdout.write("  demo-ae4 .. demo-ae12 (history) sign in with the same password")
        self.stdout.write(self.style.SUCCESS(f"Demo team '{DEMO_TEAM}' is ready."))
        self.stdout.write("Demo logins (password: tierwise-demo):")
        for username, _first, _last, role in DEMO_PEOPLE:
            self.stdout.write(f"  {username:<14} {Role(role).label}")
