"""factory-boy factories for the objects tests build most."""

import factory

from enablement.models import Role, Team, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.AE
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    manager = factory.SubFactory(ManagerFactory)


class AEFactory(UserFactory):
    role = Role.AE
    team = factory.SubFactory(TeamFactory)


# --- Router and simulator -------------------------------------------------------------------
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from lessons.models import TierProfile  # noqa: E402
from lessons.models.simulator import Disagreement, TierGuess  # noqa: E402

TIERS_YAML = Path(__file__).resolve().parents[1] / "lessons" / "content" / "tiers.yaml"
PROFILE_FIELDS = {f.name for f in TierProfile._meta.fields} - {"id"}


def tier_figures() -> dict[str, dict]:
    """Each tier's figures exactly as lessons/content/tiers.yaml states them."""
    entries = yaml.safe_load(TIERS_YAML.read_text("utf-8"))
    figures = {e["slug"]: {k: v for k, v in e.items() if k in PROFILE_FIELDS} for e in entries}
    for tier in figures.values():
        for key in ("cost_index_low", "cost_index_high"):
            tier[key] = Decimal(str(tier[key]))
    return figures


class TierProfileFactory(factory.django.DjangoModelFactory):
    """A tier profile with the content file's figures (pass slug="small"/"mid"/"frontier")."""

    class Meta:
        model = TierProfile
        django_get_or_create = ("slug",)

    slug = "mid"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        figures = {**tier_figures()[kwargs["slug"]], **kwargs}
        return super()._create(model_class, *args, **figures)


def tier_profiles() -> dict[str, TierProfile]:
    return {slug: TierProfileFactory(slug=slug) for slug in ("small", "mid", "frontier")}


class TierGuessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TierGuess

    user = factory.SubFactory(AEFactory)
    text = "Tag every inbound ticket with its product area"
    guessed_tier = "mid"
    routed_tier = "small"
    model_tier = "small"
    confidence = 0.9


class DisagreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disagreement

    user = factory.SubFactory(AEFactory)
    text = factory.Sequence(lambda n: f"Sort incoming invoices number {n} into the right ledger")
    routed_tier = "mid"
    model_tier = "mid"
    confidence = 0.6
    suggested_tier = "small"
    reason = "It is a label, not generated text."
    latency = "tolerant"
    volume = "high"
    stakes = "recoverable"
    domain = "finance"
