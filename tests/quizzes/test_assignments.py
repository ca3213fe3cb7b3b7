"""Assignments: a manager assigns to their own team only; AEs see status; email goes out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from practice.models import DrillAnswer, Scenario
from quizzes.models import Assignment, AssignmentRecipient, Status
from quizzes.services import start_attempt, submit_attempt
from tests.factories import AEFactory, assign, build_quiz
from tests.quizzes.helpers import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def _due(days: int = 7) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _status(recipient_or_assignment, user, now=None) -> Status:
    recipient = AssignmentRecipient.objects.with_progress().get(
        assignment=recipient_or_assignment, user=user
    )
    return recipient.status(now)


def test_manager_assigns_a_quiz_to_the_whole_team_and_each_ae_gets_an_email(
    manager_client, team, ae, django_capture_on_commit_callbacks
):
    second = AEFactory(team=team, username="ae-two")
    quiz = build_quiz(title="Tier fundamentals")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            "/team/assign/",
            {
                "kind": "quiz",
                "quiz": quiz.pk,
                "audience": "team",
                "due_at": _due(),
                "note": "Before Friday's call",
            },
        )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.whole_team
    assert set(assignment.recipients.values_list("user__username", flat=True)) == {
        "ae-one",
        "ae-two",
    }
    assert sorted(m.to[0] for m in mail.outbox) == [ae.email, second.email]
    assert "Tier fundamentals" in mail.outbox[0].subject
    assert "Before Friday's call" in mail.outbox[0].body
    assert f"/quizzes/{quiz.slug}/" in mail.outbox[0].body


def test_manager_assigns_to_chosen_aes_only(manager_client, team, ae):
    AEFactory(team=team, username="ae-two")
    quiz = build_quiz()
    response = manager_client.post(
        "/team/assign/",
        {"kind": "quiz", "quiz": quiz.pk, "audience": "chosen", "users": [ae.pk], "due_at": _due()},
    )
    assert response.status_code == 302
    assert list(Assignment.objects.get().recipients.values_list("user", flat=True)) == [ae.pk]


def test_manager_assigns_a_drill_set(manager_client, team, ae):
    response = manager_client.post(
        "/team/assign/", {"kind": "drills", "drill_count": 5, "audience": "team", "due_at": _due()}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.is_drill_set and assignment.drill_count == 5
    assert assignment.title == "Drill set: 5 scenarios"


def test_manager_cannot_assign_to_another_teams_ae(manager_client, team, ae, other_ae):
    """Posting an AE from another team is refused (403) and nothing is assigned."""
    quiz = build_quiz()
    response = manager_client.post(
        "/team/assign/",
        {
            "kind": "quiz",
            "quiz": quiz.pk,
            "audience": "chosen",
            "users": [other_ae.pk],
            "due_at": _due(),
        },
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_manager_cannot_pick_another_team(manager_client, team, other_team):
    """A manager asking for another team's page or form gets 404."""
    assert manager_client.get(f"/team/assign/?team={other_team.pk}").status_code == 404
    assert manager_client.get(f"/team/?team={other_team.pk}").status_code == 404
    assert manager_client.get(f"/team/results.csv?team={other_team.pk}").status_code == 404


def test_ae_cannot_assign(ae_client):
    assert ae_client.get("/team/assign/").status_code == 403
    assert ae_client.post("/team/assign/", {"kind": "drills"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "quiz", "audience": "team"}, b"Choose the quiz"),
        ({"kind": "drills", "audience": "team"}, b"how many drill scenarios"),
        ({"kind": "drills", "drill_count": 500, "audience": "team"}, b"less than or equal to 50"),
        ({"kind": "drills", "drill_count": 3, "audience": "chosen"}, b"Choose at least one AE"),
        (
            {"kind": "drills", "drill_count": 3, "audience": "team", "note": "x" * 501},
            b"at most 500",
        ),
    ],
)
def test_bad_assignment_input_is_a_422_with_a_message(manager_client, ae, data, message):
    response = manager_client.post("/team/assign/", {"due_at": _due(), **data})
    assert response.status_code == 422
    assert message in response.content
    assert not Assignment.objects.exists()


def test_due_date_in_the_past_is_refused(manager_client, ae):
    response = manager_client.post(
        "/team/assign/",
        {"kind": "drills", "drill_count": 3, "audience": "team", "due_at": _due(days=-1)},
    )
    assert response.status_code == 422
    assert b"must be in the future" in response.content


# --- Statuses ------------------------------------------------------------------------------


def test_quiz_assignment_status_moves_from_not_started_to_passed(ae, team):
    quiz = build_quiz()
    assignment = assign(quiz, team=team, due_in=timedelta(days=7))
    assert _status(assignment, ae) == Status.NOT_STARTED
    attempt = start_attempt(user=ae, quiz=quiz, assignment=assignment)
    assert _status(assignment, ae) == Status.IN_PROGRESS
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    assert _status(assignment, ae) == Status.PASSED


def test_quiz_assignment_fails_when_every_attempt_fails(ae, team):
    quiz = build_quiz(max_attempts=2)
    assignment = assign(quiz, team=team)
    for _ in range(2):
        attempt = start_attempt(user=ae, quiz=quiz, assignment=assignment)
        submit_attempt(attempt=attempt, answers=wrong_answers(quiz))
    assert _status(assignment, ae) == Status.FAILED


def test_self_paced_pass_does_not_complete_an_assignment(ae, team):
    """Only attempts made for the assignment count toward it."""
    quiz = build_quiz()
    submit_attempt(attempt=start_attempt(user=ae, quiz=quiz), answers=right_answers(quiz))
    assignment = assign(quiz, team=team)
    assert _status(assignment, ae) == Status.NOT_STARTED


def test_due_soon_and_overdue(ae, team):
    quiz = build_quiz()
    soon = assign(quiz, team=team, due_in=timedelta(hours=47))
    late = assign(quiz, team=team, due_in=timedelta(days=8))
    assert _status(soon, ae) == Status.DUE_SOON
    assert _status(late, ae) == Status.NOT_STARTED
    assert _status(late, ae, now=timezone.now() + timedelta(days=9)) == Status.OVERDUE


def _drill(user, when):
    scenario, _ = Scenario.objects.get_or_create(
        slug="triage",
        defaults={
            "title": "Triage",
            "industry": "retail",
            "task": "t",
            "correct_tier": "small",
            "explanation": "e",
        },
    )
    answer = DrillAnswer.objects.create(
        user=user, scenario=scenario, picked_tier="small", correct_tier="small", is_correct=True
    )
    DrillAnswer.objects.filter(pk=answer.pk).update(created_at=when)


def test_drill_set_completes_after_n_drills_since_it_was_assigned(ae, team):
    """Drills answered before the assignment don't count; N answered after it complete it."""
    now = timezone.now()
    _drill(ae, now - timedelta(days=2))
    assignment = assign(team=team, drill_count=2, assigned_at=now - timedelta(days=1))
    assert _status(assignment, ae) == Status.NOT_STARTED
    _drill(ae, now - timedelta(hours=1))
    assert _status(assignment, ae) == Status.IN_PROGRESS
    _drill(ae, now)
    assert _status(assignment, ae) == Status.COMPLETE


def test_ae_sees_assigned_to_me_on_home_with_status(ae_client, ae, team):
    quiz = build_quiz(title="Routing dimensions")
    assign(quiz, team=team, due_in=timedelta(hours=12))
    response = ae_client.get("/")
    content = response.content.decode()
    assert "Assigned to me" in content
    assert "Routing dimensions" in content
    assert "Due soon" in content


def test_quiz_list_shows_assigned_and_self_paced(ae_client, ae, team):
    assigned_quiz = build_quiz(title="Field language")
    build_quiz(title="Tier fundamentals")
    assign(assigned_quiz, team=team, due_in=timedelta(days=-1))
    content = ae_client.get("/quizzes/").content.decode()
    assert "Overdue" in content
    assert "Field language" in content and "Tier fundamentals" in content


def test_ae_starts_an_assigned_quiz_from_its_page(ae_client, ae, team):
    quiz = build_quiz(is_self_paced=False)
    assignment = assign(quiz, team=team)
    page = ae_client.get(f"/quizzes/{quiz.slug}/")
    assert b"Start for your assignment" in page.content
    response = ae_client.post(f"/quizzes/{quiz.slug}/start/", {"assignment": assignment.pk})
    assert response.status_code == 302
    assert ae.quiz_attempts.get().assignment == assignment


def test_assigned_only_quiz_is_hidden_from_others(client, team):
    quiz = build_quiz(is_self_paced=False)
    client.force_login(AEFactory(username="not-assigned"))
    assert client.get(f"/quizzes/{quiz.slug}/").status_code == 404


def test_home_panel_queries_do_not_grow_with_assignments(ae_client, ae, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiz = build_quiz()
    assign(quiz, team=team)
    with CaptureQueriesContext(connection) as one:
        ae_client.get("/")
    for _ in range(8):
        assign(quiz, team=team)
        assign(team=team, drill_count=3)
    with CaptureQueriesContext(connection) as many:
        ae_client.get("/")
    assert len(one) == len(many)


def test_a_mail_failure_does_not_lose_the_assignment(
    manager_client, ae, monkeypatch, django_capture_on_commit_callbacks
):
    from quizzes import services as assessment_services

    def down(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(assessment_services, "send_mass_mail", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            "/team/assign/",
            {"kind": "drills", "drill_count": 3, "audience": "team", "due_at": _due()},
        )
    assert response.status_code == 302
    assert Assignment.objects.get().recipients.get().user == ae


def test_ae_can_reopen_an_assigned_only_quiz_after_passing_it(ae_client, ae, team):
    """Once the assignment is passed the quiz page still lists the AE's attempts."""
    quiz = build_quiz(is_self_paced=False)
    assignment = assign(quiz, team=team)
    attempt = start_attempt(user=ae, quiz=quiz, assignment=assignment)
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    page = ae_client.get(f"/quizzes/{quiz.slug}/")
    assert page.status_code == 200
    assert b"100.0% \xc2\xb7 passed" in page.content
    assert b"Start for your assignment" not in page.content


# --- Assigning twice ---------------------------------------------------------------------------


def _assign_form(quiz=None, *, due_at: str, users=None, drill_count=None, note="") -> dict:
    data = {"due_at": due_at, "note": note}
    if quiz is not None:
        data.update(kind="quiz", quiz=quiz.pk)
    else:
        data.update(kind="drills", drill_count=drill_count)
    if users is None:
        data["audience"] = "team"
    else:
        data.update(audience="chosen", users=[u.pk for u in users])
    return data


@pytest.mark.parametrize("kind", ["quiz", "drills"])
def test_submitting_the_same_assignment_again_makes_no_second_one_and_no_second_email(
    manager_client, team, ae, django_capture_on_commit_callbacks, kind
):
    """A resubmit (back button, a second click, a retry after a slow answer) of the same quiz or
    drill set, for the same AEs and due date, shortly after: the same assignment. The manager
    reads the same confirmation; the AEs get one email."""
    AEFactory(team=team, username="ae-two")
    quiz = build_quiz(title="Tier fundamentals") if kind == "quiz" else None
    data = _assign_form(quiz, due_at=_due(), drill_count=None if quiz else 5)
    answers = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(manager_client.post("/team/assign/", data, follow=True))
    assert Assignment.objects.count() == 1
    assert AssignmentRecipient.objects.count() == 2
    assert len(mail.outbox) == 2  # one per AE
    for response in answers:
        assert response.redirect_chain == [("/team/", 302)]
        assert "to 2 AEs." in response.content.decode()


def test_a_different_due_date_or_different_aes_is_a_new_assignment(
    manager_client, team, ae, django_capture_on_commit_callbacks
):
    second = AEFactory(team=team, username="ae-two")
    quiz = build_quiz()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/team/assign/", _assign_form(quiz, due_at=_due(7)))
        manager_client.post("/team/assign/", _assign_form(quiz, due_at=_due(8)))
        manager_client.post("/team/assign/", _assign_form(quiz, due_at=_due(7), users=[second]))
        manager_client.post("/team/assign/", _assign_form(due_at=_due(7), drill_count=5))
    assert Assignment.objects.count() == 4
    assert len(mail.outbox) == 2 + 2 + 1 + 2


def test_the_same_assignment_made_again_later_is_a_new_one(
    manager_client, team, ae, frozen_clock, django_capture_on_commit_callbacks
):
    """Only a resubmit within a few minutes is taken for the same assignment: the same quiz
    assigned again later (a second round for the same date) is made and emailed."""
    quiz = build_quiz()
    data = _assign_form(quiz, due_at=_due(7))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/team/assign/", data)
    frozen_clock.shift(timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post("/team/assign/", data)
    assert Assignment.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_assign_button_is_disabled_while_the_form_is_sent(manager_client, ae):
    """A double click sends one request: htmx disables the button while the first is on its
    way. Without JavaScript the form is a plain post (and a resubmit makes no duplicate)."""
    html = manager_client.get("/team/assign/").content.decode()
    form = html[html.index('<form method="post" action="/team/assign/"') :]
    form = form[: form.index(">")]
    assert 'hx-boost="true"' in form
    assert 'hx-disabled-elt="find button"' in form
