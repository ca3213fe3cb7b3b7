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


# --- Lessons -------------------------------------------------------------------------------
from lessons.models import CheckChoice, CheckQuestion, Lesson, LessonProgress  # noqa: E402


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    order = factory.Sequence(lambda n: n + 100)
    summary = "A lesson for tests."
    body = "## A section\n\nSome text."


class CheckQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckQuestion
        skip_postgeneration_save = True

    lesson = factory.SubFactory(LessonFactory)
    order = factory.Sequence(lambda n: n + 1)
    prompt = "Which tier classifies intent inline?"
    explanation = "Small models classify inline."

    @factory.post_generation
    def choices(obj, create, extracted, **kwargs):  # noqa: N805
        """Two choices by default: "Small" (right) and "Frontier" (wrong)."""
        if not create:
            return
        for order, (text, correct) in enumerate(
            extracted or [("Small", True), ("Frontier", False)]
        ):
            CheckChoice.objects.create(question=obj, order=order + 1, text=text, is_correct=correct)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(AEFactory)
    lesson = factory.SubFactory(LessonFactory)


# --- Assessment: quizzes, questions, assignments -------------------------------------------
import datetime as _dt  # noqa: E402

from django.utils import timezone as _tz  # noqa: E402

from quizzes.models import (  # noqa: E402
    Assignment,
    AssignmentRecipient,
    Choice,
    Question,
    QuestionKind,
    Quiz,
)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    description = "A test quiz."
    pass_mark = 70
    max_attempts = 3
    time_limit_minutes = None
    shuffle_questions = False
    shuffle_choices = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"q{n}")
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.SINGLE
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because the source says so."


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    key = factory.Sequence(lambda n: f"c{n}")
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


def build_quiz(**quiz_kwargs) -> Quiz:
    """A quiz with one question of each kind:
    single (right: "Frontier is priced for reasoning"), multiple (right: A, B, C; wrong: D),
    tier (right: small)."""
    quiz = QuizFactory(**quiz_kwargs)
    single = QuestionFactory(quiz=quiz, kind=QuestionKind.SINGLE, position=1, key="single")
    ChoiceFactory(question=single, text="Frontier is priced for reasoning", is_correct=True)
    ChoiceFactory(question=single, text="Frontier for everything")
    multiple = QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE, position=2, key="multi")
    for text in ("A", "B", "C"):
        ChoiceFactory(question=multiple, text=text, is_correct=True)
    ChoiceFactory(question=multiple, text="D")
    QuestionFactory(
        quiz=quiz,
        kind=QuestionKind.TIER,
        position=3,
        key="tier",
        answer_tier="small",
        prompt="Detect the language of 2M inbound emails a day, inline.",
    )
    return quiz


def assign(
    quiz=None, *, team, users=None, due_in=_dt.timedelta(days=7), drill_count=None, assigned_at=None
) -> Assignment:
    """An assignment made directly (no email), to the given users or the whole team."""
    now = _tz.now()
    assignment = Assignment.objects.create(
        team=team,
        quiz=quiz,
        drill_count=drill_count,
        assigned_by=team.manager,
        whole_team=users is None,
        assigned_at=assigned_at or now,
        due_at=now + due_in,
    )
    for user in users if users is not None else team.aes:
        AssignmentRecipient.objects.create(assignment=assignment, user=user)
    return assignment


# --- Router and simulator -------------------------------------------------------------------
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from lessons.models import TierProfile  # noqa: E402
from routing.models import Disagreement, TierGuess  # noqa: E402

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
        model = "practice.Scenario"
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
        model = "practice.DrillSession"

    user = factory.SubFactory(AEFactory)
    scenario_ids = factory.LazyFunction(list)


class DrillAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.DrillAnswer"

    user = factory.SubFactory(AEFactory)
    scenario = factory.SubFactory(ScenarioFactory)
    picked_tier = "small"
    correct_tier = factory.LazyAttribute(lambda a: a.scenario.correct_tier)
    is_correct = factory.LazyAttribute(lambda a: a.picked_tier == a.correct_tier)
    confidence = "think_so"


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.Persona"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"persona-{n}")
    name = "Dana Whitfield"
    role = "CFO, regional insurer"
    concern = "AI spend that swallows the budget."


class RoleplayPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practice.RoleplayPrompt"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"prompt-{n}")
    persona = factory.SubFactory(PersonaFactory)
    kind = "opening"
    line = "Every quote I have seen says the AI is expensive. Why should I believe otherwise?"
    guide_rows = factory.LazyFunction(lambda: [2, 8])
    ideas = factory.LazyFunction(lambda: ["midtier_cost_share", "routing_logic", "tier_named"])
    coaching = "Separate cost from capability."


def repository_field_guide() -> list[dict]:
    """The field guide rows as the repository holds them (lessons/content/field_guide.yaml)."""
    path = Path(__file__).resolve().parents[1] / "lessons" / "content" / "field_guide.yaml"
    return [
        {
            "order": int(row["order"]),
            "dont_say": str(row["dont_say"]),
            "do_say": str(row["do_say"]),
            "why": str(row["why"]),
        }
        for row in yaml.safe_load(path.read_text("utf-8"))
    ]
