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
