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
from lessons.models import (  # noqa: E402
    CheckChoice,
    CheckQuestion,
    Lesson,
    LessonProgress,
)


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
