"""The authorization matrix: every URL that shows or changes a person's data, for each of
anonymous, the AE themself, another AE on the same team, their manager, another team's
manager and an admin. Other people's objects answer 404 (or 403 for a whole area, like /team/
for an AE); a refused request changes no rows and shows none of the owner's data."""

from __future__ import annotations

import pytest

from tests.security.conftest import ROLES, row_counts

pytestmark = pytest.mark.django_db

LOGIN = 302  # anonymous: sent to the log-in page
OK = 200
REDIRECT = 302
DENIED = {403, 404}
OWNER_SECRET = "Olivia"  # the owner's first name; also in her plan's title


def _reads(w) -> dict[str, dict]:
    """GET URLs showing the owner's data → expected status per role."""
    return {
        "routing plan": {
            "url": f"/simulator/plan/{w.plan.pk}/",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=OK, other_manager=404, admin=OK
            ),
        },
        "printable routing plan": {
            "url": f"/simulator/plan/{w.plan.pk}/print/",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=OK, other_manager=404, admin=OK
            ),
        },
        "drill in progress": {
            "url": f"/drills/{w.drill.pk}/",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=404, other_manager=404, admin=404
            ),
        },
        "open quiz attempt": {
            "url": f"/quizzes/attempts/{w.open_attempt.pk}/",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=404, other_manager=404, admin=404
            ),
        },
        "quiz result": {
            "url": f"/quizzes/attempts/{w.submitted_attempt.pk}/result/",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=OK, other_manager=404, admin=OK
            ),
        },
        "role-play reply": {
            "url": f"/roleplay/{w.prompt.slug}/?attempt={w.reply.pk}",
            "expect": dict(
                anonymous=LOGIN, owner=OK, teammate=404, manager=404, other_manager=404, admin=404
            ),
        },
        "team page of team A": {
            "url": f"/team/?team={w.team_a.pk}",
            "expect": dict(
                anonymous=LOGIN, owner=403, teammate=403, manager=OK, other_manager=404, admin=OK
            ),
        },
        "team results CSV of team A": {
            "url": f"/team/results.csv?team={w.team_a.pk}",
            "expect": dict(
                anonymous=LOGIN, owner=403, teammate=403, manager=OK, other_manager=404, admin=OK
            ),
        },
        "assignment form of team A": {
            "url": f"/team/assign/?team={w.team_a.pk}",
            "expect": dict(
                anonymous=LOGIN, owner=403, teammate=403, manager=OK, other_manager=404, admin=OK
            ),
        },
    }


READS = [
    "routing plan",
    "printable routing plan",
    "drill in progress",
    "open quiz attempt",
    "quiz result",
    "role-play reply",
    "team page of team A",
    "team results CSV of team A",
    "assignment form of team A",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", READS)
def test_who_may_see_a_persons_data(world, name, role, denials):
    case = _reads(world)[name]
    before = row_counts()
    response = world.client(role).get(case["url"])
    expected = case["expect"][role]
    assert response.status_code == expected, f"{name} as {role}"
    body = response.content.decode("utf-8", "replace")
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")
    if expected == OK and "team" in name:
        # The right team's data, and no other team's.
        assert "owner-ae" in body or OWNER_SECRET in body
        assert "outsider-ae" not in body
    if (expected in DENIED or expected == LOGIN) and role != "owner":
        assert OWNER_SECRET not in body
    if expected == 403:  # every refusal is in the security log, with who was refused
        assert denials() == [world.users[role].username]
    # Reading never writes (an expired attempt would be submitted on view; this one is not).
    assert row_counts() == before


def test_other_teams_page_shows_only_their_own_team(world):
    """Another team's manager opening /team/ sees their own team, not the owner's."""
    body = world.client("other_manager").get("/team/").content.decode()
    assert "Team B" in body
    assert "owner-ae" not in body and OWNER_SECRET not in body


def _writes(w) -> dict[str, dict]:
    """POSTs that change the owner's data. Only the owner may; everyone else gets 404/403."""
    question_ids = [str(pk) for pk in w.open_attempt.question_ids]
    return {
        "answer the owner's drill": {
            "url": f"/drills/{w.drill.pk}/answer/",
            "data": {"scenario": str(w.scenario.pk), "tier": "mid", "confidence": "sure"},
            "owner": REDIRECT,
        },
        "save answers to the owner's attempt": {
            "url": f"/quizzes/attempts/{w.open_attempt.pk}/answer/",
            "data": {"question": question_ids},
            "owner": REDIRECT,
        },
        "submit the owner's attempt": {
            "url": f"/quizzes/attempts/{w.open_attempt.pk}/submit/",
            "data": {"question": question_ids},
            "owner": REDIRECT,
        },
        "start the owner's assignment": {
            "url": f"/quizzes/{w.quiz.slug}/start/",
            "data": {"assignment": str(w.assignment.pk)},
            "owner": REDIRECT,
            # Not the teammate's assignment; a manager or admin is no recipient of it.
        },
        "assign work to team A": {
            "url": f"/team/assign/?team={w.team_a.pk}",
            "data": {
                "team": str(w.team_a.pk),
                "kind": "quiz",
                "quiz": str(w.quiz.pk),
                "audience": "chosen",
                "users": [str(w.users["owner"].pk)],
                "due_at": "2099-01-01T09:00",
            },
            "owner": 403,
            "manager": REDIRECT,
            "admin": REDIRECT,
        },
    }


WRITES = [
    "answer the owner's drill",
    "save answers to the owner's attempt",
    "submit the owner's attempt",
    "start the owner's assignment",
    "assign work to team A",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", WRITES)
def test_who_may_change_a_persons_data(world, name, role, denials):
    case = _writes(world)[name]
    allowed = {k: v for k, v in case.items() if k in ROLES}
    before = row_counts()
    attempt_before = (world.open_attempt.submitted_at, world.open_attempt.score)
    response = world.client(role).post(case["url"], case["data"])
    if role == "anonymous":
        assert response.status_code == LOGIN
        assert response["Location"].startswith("/accounts/login/")
    elif role in allowed and allowed[role] == REDIRECT:
        assert response.status_code == REDIRECT, f"{name} as {role}"
        return
    else:
        expected = allowed.get(role)
        assert response.status_code == expected if expected else response.status_code in DENIED, (
            f"{name} as {role}: {response.status_code}"
        )
    if response.status_code == 403:  # every refusal is in the security log
        assert denials() == [world.users[role].username]
    # Refused: no row created or deleted, and the owner's attempt is as it was.
    assert row_counts() == before
    world.open_attempt.refresh_from_db()
    assert (world.open_attempt.submitted_at, world.open_attempt.score) == attempt_before
    if role != "owner":
        assert OWNER_SECRET not in response.content.decode("utf-8", "replace")


def test_a_manager_cannot_assign_to_another_teams_ae(world):
    """Posting another team's AE (or team id) is refused, and nothing is assigned."""
    before = row_counts()
    client = world.client("other_manager")
    response = client.post(
        "/team/assign/",
        {
            "kind": "quiz",
            "quiz": str(world.quiz.pk),
            "audience": "chosen",
            "users": [str(world.users["owner"].pk)],
            "due_at": "2099-01-01T09:00",
        },
    )
    assert response.status_code in DENIED
    assert row_counts() == before
