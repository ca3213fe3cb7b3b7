"""Certification: requirements measured from recorded evidence, the certificate issued in the
request that meets the last requirement, recertification, revocation, the public page and
PDF, and readiness."""

from __future__ import annotations

import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lessons.models import LessonProgress
from practice.models import RoleplayAttempt
from quizzes import certification
from quizzes.models import (
    Attempt,
    Certificate,
    CertificateStatus,
    MaterialChange,
    Programme,
    Requirement,
    RequirementKind,
)
from quizzes.readiness import readiness_for
from tests.factories import (
    AEFactory,
    DrillAnswerFactory,
    LessonFactory,
    QuizFactory,
    RoleplayPromptFactory,
    ScenarioFactory,
)

pytestmark = pytest.mark.django_db


# --- Building blocks --------------------------------------------------------------------------


def programme(**requirements) -> Programme:
    """A programme with the given requirements, e.g. lessons=[lesson], drills=(N, P, M)."""
    prog = Programme.objects.create(slug=f"p-{uuid.uuid4().hex[:6]}", name="Tier routing certified")
    for order, (kind, value) in enumerate(requirements.items(), start=1):
        requirement = Requirement.objects.create(
            programme=prog, order=order, kind=kind, title=f"{kind} requirement"
        )
        if kind == RequirementKind.LESSONS:
            requirement.lessons.set(value)
        elif kind == RequirementKind.QUIZZES:
            requirement.quizzes.set(value)
        elif kind == RequirementKind.DRILLS:
            requirement.min_count, requirement.min_percent, requirement.over_last = value
            requirement.save()
        else:
            requirement.min_count = value
            requirement.save()
    return prog


def complete(user, lesson, when=None):
    return LessonProgress.objects.create(
        user=user, lesson=lesson, completed_at=when or timezone.now()
    )


def drills(user, right: int, wrong: int = 0):
    for _ in range(right):
        DrillAnswerFactory(
            user=user, scenario=ScenarioFactory(correct_tier="mid"), picked_tier="mid"
        )
    for _ in range(wrong):
        DrillAnswerFactory(
            user=user, scenario=ScenarioFactory(correct_tier="mid"), picked_tier="small"
        )


def passed(user, quiz, ok=True, when=None):
    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=Attempt.objects.filter(user=user, quiz=quiz).count() + 1,
        submitted_at=when or timezone.now(),
        score=90 if ok else 40,
        passed=ok,
    )


def strong_reply(user, prompt, verdict="strong"):
    return RoleplayAttempt.objects.create(
        user=user,
        prompt=prompt,
        text="A reply.",
        score=80 if verdict == "strong" else 30,
        verdict=verdict,
    )


def only(prog, user):
    [progress] = [p for p in certification.progress_for(user) if p.programme == prog]
    return progress


# --- Requirement evaluation, each kind at the edge of its threshold ----------------------------


def test_lessons_requirement_counts_named_lessons_or_all_published(ae):
    a, b = LessonFactory(slug="a"), LessonFactory(slug="b")
    named = programme(lessons=[a])
    everything = programme(lessons=[])
    complete(ae, a)
    assert only(named, ae).requirements[0].met
    item = only(everything, ae).requirements[0]
    assert (
        not item.met and item.detail == "1 of 2 lessons" and item.next_url == b.get_absolute_url()
    )
    complete(ae, b)
    assert only(everything, ae).requirements[0].met


def test_drills_requirement_needs_both_the_count_and_the_percent_over_the_window(ae):
    prog = programme(drills=(10, 80, 10))
    drills(ae, right=8, wrong=1)  # 9 answered: one short of the count
    item = only(prog, ae).requirements[0]
    assert not item.met and "9 of 10 scenarios" in item.detail
    drills(ae, right=0, wrong=1)  # 10 answered, 8 of the last 10 right = 80%: met
    assert only(prog, ae).requirements[0].met
    drills(ae, right=0, wrong=1)  # the window slides: 7 of the last 10 = 70%
    item = only(prog, ae).requirements[0]
    assert not item.met and "70% right" in item.detail


def test_quizzes_requirement_needs_every_named_quiz_passed(ae):
    q1, q2 = QuizFactory(), QuizFactory()
    prog = programme(quizzes=[q1, q2])
    passed(ae, q1)
    passed(ae, q2, ok=False)
    item = only(prog, ae).requirements[0]
    assert not item.met and item.detail == "1 of 2 quizzes passed"
    passed(ae, q2)
    assert only(prog, ae).requirements[0].met


def test_roleplay_requirement_counts_distinct_prompts_with_a_strong_verdict(ae):
    prog = programme(roleplay=2)
    first, second = RoleplayPromptFactory(slug="one"), RoleplayPromptFactory(slug="two")
    strong_reply(ae, first)
    strong_reply(ae, first)  # the same prompt twice counts once
    strong_reply(ae, second, verdict="weak")
    assert not only(prog, ae).requirements[0].met
    strong_reply(ae, second)
    assert only(prog, ae).requirements[0].met


def test_another_aes_evidence_never_counts(ae, other_ae):
    lesson = LessonFactory()
    prog = programme(lessons=[lesson])
    complete(other_ae, lesson)
    assert not only(prog, ae).requirements[0].met


# --- Issuing ----------------------------------------------------------------------------------


def test_completing_the_last_lesson_issues_the_certificate_in_that_request(ae_client, ae):
    """The certificate exists when the request that met the last requirement answers, and the
    AE is told."""
    lesson = LessonFactory(slug="last-one")
    prog = programme(lessons=[lesson])
    response = ae_client.post(reverse("lessons:complete", args=[lesson.slug]), follow=True)
    cert = Certificate.objects.get(user=ae, programme=prog)
    assert cert.status() == CertificateStatus.VALID
    assert "You are certified: Tier routing certified" in response.content.decode()
    assert cert.expires_at.date() == (cert.issued_at + timedelta(days=366)).date() or (
        cert.expires_at.year == cert.issued_at.year + 1
    )
    # Completing it again issues nothing more.
    ae_client.post(reverse("lessons:complete", args=[lesson.slug]))
    assert Certificate.objects.filter(user=ae).count() == 1


def test_the_certification_page_shows_each_requirement_and_the_next_step(ae_client, ae):
    lesson = LessonFactory(slug="to-do", title="The lesson to do")
    programme(lessons=[lesson], roleplay=1)
    html = ae_client.get(reverse("quizzes:certification")).content.decode()
    assert "0 of 2 requirements met" in html
    assert "Next lesson: The lesson to do" in html
    assert html.count("<progress") == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are checked on PostgreSQL")
def test_twenty_concurrent_requests_issue_exactly_one_certificate():
    ae = AEFactory(username="racer")
    lesson = LessonFactory(slug="race")
    complete(ae, lesson)
    prog = programme(lessons=[lesson])
    barrier = threading.Barrier(20)
    errors = []

    def issue() -> None:
        try:
            barrier.wait(timeout=30)
            certification.issue_earned(user=ae)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Certificate.objects.filter(user=ae, programme=prog).count() == 1


def test_a_material_change_asks_for_only_the_touched_requirement_again(ae):
    lesson, quiz = LessonFactory(), QuizFactory()
    prog = programme(lessons=[lesson], quizzes=[quiz])
    complete(ae, lesson)
    passed(ae, quiz)
    [cert] = certification.issue_earned(user=ae)
    lessons_requirement = prog.requirements.get(kind=RequirementKind.LESSONS)
    change = MaterialChange.objects.create(
        requirement=lessons_requirement,
        note="Mid-tier latency figure changed",
        changed_at=timezone.now() + timedelta(seconds=1),
    )
    cert = Certificate.objects.get(pk=cert.pk)
    later = change.changed_at + timedelta(seconds=1)
    assert cert.status(later) == CertificateStatus.RECERTIFY
    assert cert.recertify_by() == change.changed_at + timedelta(days=30)
    progress = only(prog, ae)
    touched = {item.requirement.kind: item for item in progress.requirements}
    assert not touched[RequirementKind.LESSONS].met  # the old completion no longer counts
    assert touched[RequirementKind.QUIZZES].met  # untouched: still met
    # Past the grace period without recertifying, it lapses.
    assert cert.status(change.recertify_by + timedelta(seconds=1)) == CertificateStatus.EXPIRED
    # Completing the lesson again recertifies: a new certificate, the old one kept.
    LessonProgress.objects.filter(user=ae).update(completed_at=later)
    [renewed] = certification.issue_earned(user=ae, now=later)
    assert renewed.status(later) == CertificateStatus.VALID
    assert Certificate.objects.get(pk=cert.pk).status(later) == CertificateStatus.REPLACED


def test_a_certificate_expires_at_the_end_of_its_validity(ae):
    lesson = LessonFactory()
    programme(lessons=[lesson])
    complete(ae, lesson)
    [cert] = certification.issue_earned(user=ae)
    assert cert.status(cert.expires_at - timedelta(seconds=1)) == CertificateStatus.VALID
    assert cert.status(cert.expires_at) == CertificateStatus.EXPIRED


def test_revocation_keeps_the_certificate_with_its_reason(ae, admin_user):
    lesson = LessonFactory()
    programme(lessons=[lesson])
    complete(ae, lesson)
    [cert] = certification.issue_earned(user=ae)
    certification.revoke(certificate=cert, reason="Shared answers", by=admin_user)
    cert.refresh_from_db()
    assert cert.status() == CertificateStatus.REVOKED and cert.revoked_reason == "Shared answers"
    with pytest.raises(ValueError, match="reason"):
        certification.revoke(certificate=cert, reason="  ", by=admin_user)
    client = Client()
    html = client.get(cert.get_absolute_url()).content.decode()
    assert "Revoked" in html and "Shared answers" not in html


# --- The public page and the PDF ----------------------------------------------------------------


def test_the_public_page_shows_the_certificate_and_nothing_else_about_the_person(ae):
    ae.email = "private@example.com"
    ae.save()
    lesson = LessonFactory()
    programme(lessons=[lesson])
    complete(ae, lesson)
    [cert] = certification.issue_earned(user=ae)
    response = Client().get(cert.get_absolute_url())  # signed out
    html = response.content.decode()
    assert response.status_code == 200
    assert ae.get_full_name() in html and "Tier routing certified" in html and "Valid" in html
    for private in (ae.email, ae.username, "Test Team"):
        assert private not in html
    assert Client().get(f"/certificates/{uuid.uuid4()}/").status_code == 404
    assert Client().get(f"/certificates/{uuid.uuid4()}.pdf").status_code == 404
    assert Client().get("/certificates/12/").status_code == 404


def test_the_pdf_names_the_person_and_the_programme(ae):
    lesson = LessonFactory()
    programme(lessons=[lesson])
    complete(ae, lesson)
    [cert] = certification.issue_earned(user=ae)
    response = Client().get(reverse("quizzes:certificate_pdf", args=[cert.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert ae.get_full_name() in text
    assert "Tier routing certified" in text
    assert str(cert.public_id) in text.replace("\n", "")


# --- Readiness ------------------------------------------------------------------------------


def test_readiness_formula_on_a_worked_example(ae):
    """Lessons 1 of 2 (50); drills: small 4 of 5 right (80), mid 5 of 5 (100), frontier none
    (0), so drills 60; role-play 2 of 5 prompts (40); quizzes: best 90 on one of two active
    quizzes (45); no certificate (0). Readiness = 0.2*50 + 0.3*60 + 0.2*40 + 0.2*45 = 45."""
    a, _b = LessonFactory(), LessonFactory()
    complete(ae, a)
    for _ in range(4):
        DrillAnswerFactory(
            user=ae, scenario=ScenarioFactory(correct_tier="small"), picked_tier="small"
        )
    DrillAnswerFactory(user=ae, scenario=ScenarioFactory(correct_tier="small"), picked_tier="mid")
    for _ in range(5):
        DrillAnswerFactory(user=ae, scenario=ScenarioFactory(correct_tier="mid"), picked_tier="mid")
    # Frontier: none answered -> 0. Drills = (80 + 100 + 0) / 3 = 60.
    strong_reply(ae, RoleplayPromptFactory(slug="r1"))
    strong_reply(ae, RoleplayPromptFactory(slug="r2"))
    quiz, _other = QuizFactory(), QuizFactory()
    passed(ae, quiz)  # score 90
    ready = readiness_for([ae])[ae.pk]
    assert (ready.learn, ready.drills_by_tier, ready.roleplay, ready.quizzes) == (
        50,
        {"small": 80, "mid": 100, "frontier": 0},
        40,
        45,
    )
    assert ready.drills == 60
    assert ready.score == round((20 * 50 + 30 * 60 + 20 * 40 + 20 * 45 + 10 * 0) / 100) == 45


def test_team_page_shows_readiness_and_costs_the_same_queries_for_any_team_size(
    manager_client, team
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = manager_client.get(reverse("quizzes:team"))
        assert response.status_code == 200
        return len(captured)

    AEFactory(team=team)
    small = queries()
    for _ in range(6):
        ae = AEFactory(team=team)
        drills(ae, right=2, wrong=1)
    assert queries() == small
    html = manager_client.get(reverse("quizzes:team")).content.decode()
    assert "The team's weakest area" in html
    assert "readiness-matrix" in html


def test_results_csv_has_readiness_and_certification_columns(manager_client):
    body = manager_client.get(reverse("quizzes:team_results_csv")).content.decode()
    header = body.splitlines()[0]
    assert header.endswith("Readiness,Certification")
