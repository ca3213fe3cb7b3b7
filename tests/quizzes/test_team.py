"""Team analytics: managers only, their own team; constant queries; a safe CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.models import DrillAnswer, Scenario
from quizzes.services import AnswerInput, start_attempt, submit_attempt
from quizzes.team_analytics import confusion_matrix, csv_safe, lesson_progress_for
from tests.factories import AEFactory, ManagerFactory, TeamFactory, assign, build_quiz
from tests.quizzes.helpers import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_ae_cannot_reach_team_pages(ae_client):
    assert ae_client.get("/team/").status_code == 403
    assert ae_client.get("/team/results.csv").status_code == 403


def test_manager_sees_only_their_own_team(manager_client, team, ae, other_team, other_ae):
    quiz = build_quiz()
    assign(quiz, team=other_team)
    content = manager_client.get("/team/").content.decode()
    assert ae.username in content
    assert other_ae.username not in content
    assert "Other Team" not in content
    csv_text = manager_client.get("/team/results.csv").content.decode()
    assert other_ae.username not in csv_text


def test_manager_cannot_open_another_teams_results(manager_client, other_ae):
    quiz = build_quiz()
    attempt = start_attempt(user=other_ae, quiz=quiz)
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    assert manager_client.get(f"/quizzes/attempts/{attempt.pk}/result/").status_code == 404


def test_manager_opens_their_aes_result(manager_client, ae):
    quiz = build_quiz()
    attempt = start_attempt(user=ae, quiz=quiz)
    submit_attempt(attempt=attempt, answers=right_answers(quiz))
    response = manager_client.get(f"/quizzes/attempts/{attempt.pk}/result/")
    assert response.status_code == 200
    assert b"100.0%" in response.content


def test_admin_picks_any_team(client, admin_user, team, ae, other_team, other_ae):
    client.force_login(admin_user)
    content = client.get(f"/team/?team={other_team.pk}").content.decode()
    assert other_ae.username in content and ae.username not in content
    assert 'name="team"' in content  # the picker
    assert client.get("/team/?team=999999").status_code == 404


def test_manager_without_a_team_is_told_so(client):
    client.force_login(ManagerFactory(username="lonely"))
    response = client.get("/team/")
    assert response.status_code == 200
    assert b"don't lead a team" in response.content


def test_team_page_shows_completion_scores_and_overdue(manager_client, team, ae):
    slow = AEFactory(team=team, username="slow-ae", first_name="Slow", last_name="Poke")
    quiz = build_quiz(title="Field language")
    assignment = assign(quiz, team=team, due_in=timedelta(days=3))
    submit_attempt(
        attempt=start_attempt(user=ae, quiz=quiz, assignment=assignment),
        answers=right_answers(quiz),
    )
    assign(
        build_quiz(title="Routing dimensions"), team=team, users=[slow], due_in=timedelta(hours=-3)
    )
    content = manager_client.get("/team/").content.decode()
    assert "1 of 2 done" in content  # Field language: ae passed, slow-ae not started
    assert "100.0%" in content
    overdue = content.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "Slow Poke" in overdue and "Routing dimensions" in overdue
    assert "lesson" in content.lower()


def _scenario(slug, tier):
    return Scenario.objects.create(
        slug=slug, title=slug, industry="retail", task="t", correct_tier=tier, explanation="e"
    )


def test_confusion_matrix_names_the_worst_cell_by_the_right_tiers_job(team, ae, manager_client):
    """Small-tier tasks sent to frontier 3 times is the worst cell: "sends triage tasks to
    frontier". Tier-pick quiz answers count too."""
    triage = _scenario("triage", "small")
    judgment = _scenario("judgment", "frontier")
    for _ in range(2):
        DrillAnswer.objects.create(
            user=ae, scenario=triage, picked_tier="frontier", correct_tier="small", is_correct=False
        )
    DrillAnswer.objects.create(
        user=ae, scenario=triage, picked_tier="small", correct_tier="small", is_correct=True
    )
    DrillAnswer.objects.create(
        user=ae, scenario=judgment, picked_tier="mid", correct_tier="frontier", is_correct=False
    )
    quiz = build_quiz()  # its tier question's right answer is small
    tier_q = quiz.questions.get(key="tier")
    submit_attempt(
        attempt=start_attempt(user=ae, quiz=quiz),
        answers={tier_q.pk: AnswerInput(picked_tier="frontier")},
    )

    matrix = confusion_matrix([ae])
    assert matrix.counts[("small", "frontier")] == 3
    assert matrix.counts[("small", "small")] == 1
    assert matrix.worst.correct == "small" and matrix.worst.picked == "frontier"
    assert matrix.worst_sentence.startswith("The team most often sends triage tasks to frontier")
    content = manager_client.get("/team/").content.decode()
    assert "sends triage tasks to frontier" in content
    assert "<svg" in content and "<title" in content and "<desc" in content
    assert "3 (75%)" in content  # the table alternative: 3 of 4 small-tier tasks


def test_item_analysis_shows_percent_right_and_the_top_wrong_answer(manager_client, team, ae):
    second = AEFactory(team=team, username="ae-two")
    quiz = build_quiz()
    submit_attempt(attempt=start_attempt(user=ae, quiz=quiz), answers=right_answers(quiz))
    submit_attempt(attempt=start_attempt(user=second, quiz=quiz), answers=wrong_answers(quiz))
    content = manager_client.get("/team/").content.decode()
    items = content.split('id="items-heading"')[1]
    assert "50%" in items
    assert "Frontier for everything" in items  # the wrong single choice
    assert "Frontier <span" in items  # the wrong tier pick, named


def _populate(team, n_aes: int) -> None:
    quiz = build_quiz()
    drills = assign(team=team, drill_count=2)
    scenario = _scenario(f"s-{n_aes}", "mid")
    # No password hashing: these AEs never log in, and hashing 55 passwords is slow.
    aes = [AEFactory(team=team, username=f"t{n_aes}-ae{i}", password=None) for i in range(n_aes)]
    assignment = assign(quiz, team=team, due_in=timedelta(days=2))
    for index, user in enumerate(aes):
        for _ in range(2 if index % 2 else 1):
            attempt = start_attempt(user=user, quiz=quiz, assignment=assignment)
            submit_attempt(
                attempt=attempt, answers=wrong_answers(quiz) if index % 2 else right_answers(quiz)
            )
        DrillAnswer.objects.create(
            user=user, scenario=scenario, picked_tier="small", correct_tier="mid", is_correct=False
        )
    assert drills.recipients.count() == 0  # made before the AEs joined


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/team/", "/team/results.csv"])
def test_query_count_does_not_grow_with_team_size_or_attempts(client, url):
    """5 AEs with 1-2 attempts each and 50 AEs with 1-2 attempts each cost the same queries."""
    small_team = TeamFactory(name="Five")
    big_team = TeamFactory(name="Fifty")
    _populate(small_team, 5)
    _populate(big_team, 50)
    client.force_login(small_team.manager)
    small = _count_queries(client, url)
    client.force_login(big_team.manager)
    big = _count_queries(client, url)
    assert small == big
    assert big < 30  # the team page also shows readiness and the role-play review queue


def test_results_csv_has_one_row_per_ae_per_assignment(manager_client, team, ae):
    AEFactory(team=team, username="ae-two", first_name="Bo", last_name="Lin")
    quiz = build_quiz(title="Tier fundamentals")
    assignment = assign(quiz, team=team)
    assign(team=team, drill_count=4)
    submit_attempt(
        attempt=start_attempt(user=ae, quiz=quiz, assignment=assignment),
        answers=right_answers(quiz),
    )
    response = manager_client.get("/team/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "AE",
        "Quiz",
        "Assigned",
        "Due",
        "Status",
        "Best score",
        "Attempts",
        "Completed at",
        "Readiness",
        "Certification",
    ]
    assert len(rows) == 1 + 2 * 2
    passed = next(r for r in rows if r[0].endswith("(ae-one)") and r[1] == "Tier fundamentals")
    assert passed[4] == "Passed" and passed[5] == "100.0" and passed[6] == "1" and passed[7]
    bo = next(r for r in rows if r[0] == "Bo Lin (ae-two)" and r[1] == "Tier fundamentals")
    assert bo[4] == "Not started" and bo[5] == "" and bo[6] == "0" and bo[7] == ""


def test_results_csv_cells_cannot_run_as_formulas(manager_client, team):
    AEFactory(team=team, username="evil", first_name='=HYPERLINK("http://x")', last_name="")
    assign(build_quiz(title="+cmd|' /C calc'!A0"), team=team)
    rows = list(csv.reader(io.StringIO(manager_client.get("/team/results.csv").content.decode())))
    body = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in body)
    assert "'+cmd|' /C calc'!A0" in body


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_neutralises_formula_starts(value):
    assert csv_safe(value) == "'" + value


def test_csv_safe_keeps_plain_text():
    assert csv_safe("Avery Chen") == "Avery Chen"
    assert csv_safe(None) == ""


def test_lesson_progress_counts_only_completed_lessons(ae, other_ae):
    """Opened-but-unfinished lessons don't count; each AE gets their own figure."""
    from django.core.management import call_command
    from django.utils import timezone

    from lessons.models import Lesson, LessonProgress

    call_command("load_content")
    first, second = Lesson.objects.published().order_by("order")[:2]
    LessonProgress.objects.create(user=ae, lesson=first, completed_at=timezone.now())
    LessonProgress.objects.create(user=ae, lesson=second, last_viewed_at=timezone.now())
    progress = lesson_progress_for([ae, other_ae])
    assert progress[ae.pk].completed == 1
    assert progress[other_ae.pk].completed == 0
    assert progress[ae.pk].total == Lesson.objects.published().count()


def test_team_page_is_get_only(manager_client):
    assert manager_client.post("/team/").status_code == 405
    assert manager_client.post("/team/results.csv").status_code == 405


def test_overdue_list_goes_by_the_due_instant(manager_client, team, ae):
    """Due in an hour is not overdue yet; due an hour ago is, whatever the calendar date."""
    assign(build_quiz(title="Due later today"), team=team, due_in=timedelta(hours=1))
    content = manager_client.get("/team/").content.decode()
    overdue = content.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "Nothing is overdue" in overdue
    assign(build_quiz(title="Due an hour ago"), team=team, due_in=timedelta(hours=-1))
    content = manager_client.get("/team/").content.decode()
    overdue = content.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "Due an hour ago" in overdue and "Due later today" not in overdue


def test_team_page_shows_each_aes_lesson_progress(client, manager, ae):
    """A manager sees how far each AE has got through the lessons."""
    from django.core.management import call_command
    from django.utils import timezone

    from lessons.models import Lesson, LessonProgress

    call_command("load_content")
    first = Lesson.objects.published().order_by("order").first()
    LessonProgress.objects.create(user=ae, lesson=first, completed_at=timezone.now())
    total = Lesson.objects.published().count()
    client.force_login(manager)
    html = client.get("/team/").content.decode()
    assert f"1 of {total} lessons" in html
