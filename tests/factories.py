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


# --- Practice: scenarios, drills, role-play --------------------------------------------------
class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Scenario"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"scenario-{n}")
    title = factory.Sequence(lambda n: f"Scenario {n}")
    industry = "insurance"
    task = "Tag each incoming claim email with one of twelve claim types before it is queued."
    context = factory.LazyFunction(lambda: {"volume": "40,000 a month", "waiting": "Nobody"})
    correct_tier = "small"
    deciding_dimensions = factory.LazyFunction(lambda: ["reasoning", "cost"])
    explanation = "A bounded label from a fixed list: the model needs to match, not synthesise."
    wrong_picks = factory.LazyAttribute(
        lambda s: {
            tier: f"What {tier} would do wrong on {s.slug}."
            for tier in ("small", "mid", "frontier")
            if tier != s.correct_tier
        }
    )


class DrillSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.DrillSession"

    user = factory.SubFactory(AEFactory)
    scenario_ids = factory.LazyFunction(list)


class DrillAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.DrillAnswer"

    user = factory.SubFactory(AEFactory)
    scenario = factory.SubFactory(ScenarioFactory)
    picked_tier = "small"
    correct_tier = factory.LazyAttribute(lambda a: a.scenario.correct_tier)
    is_correct = factory.LazyAttribute(lambda a: a.picked_tier == a.correct_tier)
    confidence = "think_so"


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Persona"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"persona-{n}")
    name = "Dana Whitfield"
    role = "CFO, regional insurer"
    concern = "AI spend that swallows the budget."


class RoleplayPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.RoleplayPrompt"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"prompt-{n}")
    persona = factory.SubFactory(PersonaFactory)
    kind = "opening"
    line = "Every quote I have seen says the AI is expensive. Why should I believe otherwise?"
    guide_rows = factory.LazyFunction(lambda: [2, 8])
    ideas = factory.LazyFunction(lambda: ["midtier_cost_share", "routing_logic", "tier_named"])
    coaching = "Separate cost from capability."
