"""Assessment views: quizzes, attempts, results, assignments and team analytics.

Thin views: reads start from the user, writes go through quizzes/services.py,
refusals come back as a 4xx with the service's message. Every htmx control is inside a real
form that works with JavaScript off.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from enablement.models import Team, User
from enablement.params import int_param
from enablement.vocabulary import Tier
from practice.models import Script
from practice.review import reviewable_by

from . import certification, services
from .forms import AssignmentForm
from .models import (
    DONE_STATUSES,
    AssignmentRecipient,
    Attempt,
    Certificate,
    Question,
    QuestionKind,
    Quiz,
)
from .pdf import certificate_pdf_bytes
from .team_analytics import CSV_HEADER, csv_rows, team_report

# --- Helpers ---------------------------------------------------------------------------------


def _refusal(request: HttpRequest, error: services.AssessmentError, template: str, context: dict):
    context = {**context, "error": error.message}
    return render(request, template, context, status=error.status_code)


def _parse_answers(request: HttpRequest) -> dict[int, services.AnswerInput]:
    """Read the posted answers. Every question listed in `question` is saved, so clearing all
    boxes of a multiple-answer question clears the stored answer too."""
    answers: dict[int, services.AnswerInput] = {}
    for raw in request.POST.getlist("question")[:200]:
        try:
            question_id = int(raw)
            selected = frozenset(int(v) for v in request.POST.getlist(f"q{question_id}")[:20])
        except ValueError as error:
            raise services.InvalidAnswer("Answers must be choices from the page.") from error
        answers[question_id] = services.AnswerInput(
            selected=selected, picked_tier=request.POST.get(f"tier{question_id}", "")[:10]
        )
    return answers


def _items(attempt: Attempt) -> list[dict]:
    """The attempt's questions in its own order, each with its choices and the saved answer."""
    questions = (
        Question.objects.filter(pk__in=attempt.question_ids).prefetch_related("choices").in_bulk()
    )
    answers = {a.question_id: a for a in attempt.answers.all()}
    items = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = questions.get(question_id)
        if question is None:
            continue
        answer = answers.get(question_id)
        selected = set(answer.selected) if answer else set()
        choices = attempt.choice_order(question, list(question.choices.all()))
        items.append(
            {
                "number": number,
                "question": question,
                "answer": answer,
                "choices": [{"choice": c, "checked": c.pk in selected} for c in choices],
                "tiers": [
                    {
                        "value": t.value,
                        "label": t.label,
                        "checked": answer and answer.picked_tier == t,
                    }
                    for t in Tier
                ],
                "your_answer": _answer_text(question, answer, choices),
                "right_answer": _right_text(question, choices),
            }
        )
    return items


def _answer_text(question: Question, answer, choices) -> str:
    if answer is None or answer.is_blank:
        return "No answer"
    if question.kind == QuestionKind.TIER:
        return Tier(answer.picked_tier).label
    texts = {c.pk: c.text for c in choices}
    return "; ".join(texts.get(pk, "(removed choice)") for pk in answer.selected)


def _right_text(question: Question, choices) -> str:
    if question.kind == QuestionKind.TIER:
        return Tier(question.answer_tier).label
    return "; ".join(c.text for c in choices if c.is_correct)


def _quiz_recipients(user: User, quiz: Quiz) -> list[AssignmentRecipient]:
    """The AE's assignments of this quiz, each with its current status."""
    now = timezone.now()
    recipients = list(user.assignments.filter(assignment__quiz=quiz).with_progress())
    for recipient in recipients:
        recipient.current_status = recipient.status(now)
    return recipients


# --- Quizzes ---------------------------------------------------------------------------------


@require_safe
def quiz_list(request: HttpRequest) -> HttpResponse:
    """Assigned to me (with status) and the self-paced quizzes anyone may take."""
    user: User = request.user
    now = timezone.now()
    assigned = list(user.assignments.with_progress().order_by("assignment__due_at"))
    for recipient in assigned:
        recipient.current_status = recipient.status(now)
    mine = Attempt.objects.filter(user=user, quiz=OuterRef("pk"), assignment__isnull=True)
    quizzes = (
        Quiz.objects.filter(is_active=True, is_self_paced=True)
        .annotate(
            question_count=Count("questions", filter=Q(questions__is_active=True)),
            best_score=Subquery(
                mine.submitted().order_by().values("user").annotate(v=Max("score")).values("v")[:1]
            ),
            attempts_used=Subquery(
                mine.order_by().values("user").annotate(v=Count("pk")).values("v")[:1]
            ),
        )
        .order_by("title")
    )
    return render(request, "quizzes/quiz_list.html", {"assigned": assigned, "quizzes": quizzes})


@require_safe
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=slug, is_active=True)
    user: User = request.user
    recipients = _quiz_recipients(user, quiz)
    if not quiz.is_self_paced and not recipients:
        raise Http404("Not assigned to you")
    open_recipients = [r for r in recipients if r.current_status not in DONE_STATUSES]
    attempts = list(Attempt.objects.owned_by(user).filter(quiz=quiz).select_related("assignment"))
    context = {
        "quiz": quiz,
        "question_count": quiz.questions.filter(is_active=True).count(),
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if a.is_open), None),
        "open_recipients": open_recipients,
        "self_paced_left": quiz.max_attempts - sum(1 for a in attempts if a.assignment_id is None),
    }
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start (or resume) an attempt: self-paced, or for one of the AE's assignments."""
    quiz = get_object_or_404(Quiz, slug=slug, is_active=True)
    assignment = None
    if request.POST.get("assignment"):
        recipient = get_object_or_404(
            request.user.assignments.select_related("assignment"),
            assignment_id=int_param(request.POST["assignment"]) or 0,
        )
        assignment = recipient.assignment
    try:
        attempt = services.start_attempt(user=request.user, quiz=quiz, assignment=assignment)
    except services.AssessmentError as error:
        messages.error(request, error.message)
        return redirect("quizzes:quiz_detail", slug=quiz.slug)
    return redirect("quizzes:attempt_take", pk=attempt.pk)


# --- Attempts --------------------------------------------------------------------------------


def _own_attempt(request: HttpRequest, pk: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.owned_by(request.user).select_related("quiz", "assignment"), pk=pk
    )


@require_safe
def attempt_take(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _own_attempt(request, pk)
    if attempt.is_open and attempt.is_expired():
        services.submit_attempt(attempt=attempt)
        messages.warning(request, "Time was up: the answers you saved were submitted.")
        return redirect("quizzes:attempt_result", pk=attempt.pk)
    if not attempt.is_open:
        return redirect("quizzes:attempt_result", pk=attempt.pk)
    context = {"attempt": attempt, "quiz": attempt.quiz, "items": _items(attempt)}
    return render(request, "quizzes/quiz_take.html", context)


@require_POST
def attempt_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save answers as the AE goes (htmx on every change; the "Save answers" button without JS)."""
    attempt = _own_attempt(request, pk)
    try:
        services.save_answers(attempt=attempt, answers=_parse_answers(request))
    except services.AssessmentError as error:
        if request.htmx:
            response = render(
                request,
                "quizzes/quiz_take.html#save-status",
                {"attempt": attempt, "error": error.message},
                status=error.status_code,
            )
            if isinstance(error, services.AttemptClosed):
                response["HX-Redirect"] = reverse("quizzes:attempt_take", args=[attempt.pk])
            return response
        context = {"attempt": attempt, "quiz": attempt.quiz, "items": _items(attempt)}
        return _refusal(request, error, "quizzes/quiz_take.html", context)
    if request.htmx:
        return render(
            request,
            "quizzes/quiz_take.html#save-status",
            {"attempt": attempt, "saved_at": timezone.now()},
        )
    messages.success(request, "Your answers are saved. Submit when you're ready.")
    return redirect("quizzes:attempt_take", pk=attempt.pk)


@require_POST
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what was posted and score the attempt, once. A second submit shows the same result."""
    attempt = _own_attempt(request, pk)
    expired = attempt.is_expired()
    try:
        result = services.submit_attempt(attempt=attempt, answers=_parse_answers(request))
    except services.AssessmentError as error:
        context = {"attempt": attempt, "quiz": attempt.quiz, "items": _items(attempt)}
        return _refusal(request, error, "quizzes/quiz_take.html", context)
    if not result.created:
        messages.info(request, "This attempt was already submitted; here is its result.")
    elif expired:
        messages.warning(request, "Time was up: only answers saved before the limit counted.")
    if result.created:
        certification.issue_and_tell(request)
    return redirect("quizzes:attempt_result", pk=attempt.pk)


@require_safe
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Score, pass or fail, and each question with the AE's answer, the right one (per the
    quiz's reveal setting) and the explanation. Managers may open their team's results."""
    attempt = get_object_or_404(
        Attempt.objects.visible_to(request.user).select_related("quiz", "assignment", "user"),
        pk=pk,
    )
    if attempt.is_open:
        if attempt.user_id == request.user.pk:
            return redirect("quizzes:attempt_take", pk=attempt.pk)
        raise Http404("Not submitted yet")
    own = attempt.user_id == request.user.pk
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": _items(attempt),
        # The reveal setting protects the key from AEs; their manager always sees it.
        "revealed": attempt.answers_revealed() or not own,
        "own": own,
    }
    return render(request, "quizzes/quiz_result.html", context)


# --- Team: who may see which team -------------------------------------------------------------


def _team_for(request: HttpRequest) -> tuple[Team | None, list[Team]]:
    """A manager's own team; an admin picks any team (?team=id). AEs are refused (403)."""
    user: User = request.user
    if user.is_enablement_admin:
        teams = list(Team.objects.order_by("name"))
        wanted = request.GET.get("team") or request.POST.get("team") or ""
        if wanted:
            team = next((t for t in teams if str(t.pk) == wanted), None)
            if team is None:
                raise Http404("No such team")
            return team, teams
        return (teams[0] if teams else None), teams
    if user.is_manager:
        team = user.managed_team
        wanted = request.GET.get("team") or request.POST.get("team") or ""
        if wanted and (team is None or str(team.pk) != wanted):
            raise Http404("Not your team")
        return team, []
    raise PermissionDenied("Team analytics are for managers.")


@require_safe
def team(request: HttpRequest) -> HttpResponse:
    team, teams = _team_for(request)
    context = {"team": team, "teams": teams}
    if team is not None:
        context["report"] = team_report(team)
        context["queue"] = review_queue(request, team)
    return render(request, "quizzes/team.html", context)


@require_safe
def team_results_csv(request: HttpRequest) -> HttpResponse:
    """One row per AE per assignment; cells made safe against spreadsheet formula injection."""
    team, _ = _team_for(request)
    if team is None:
        raise Http404("No team")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"tierwise-results-{team.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(team))
    return response


# --- Assigning -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def team_assign(request: HttpRequest) -> HttpResponse:
    """A manager assigns a quiz or a drill set to their own team, or chosen AEs of it."""
    team, teams = _team_for(request)
    if team is None:
        raise Http404("No team to assign to")
    form = AssignmentForm(request.POST or None, team=team)
    context = {"form": form, "team": team, "teams": teams}
    if request.method == "POST":
        team_ids = {str(pk) for pk in team.aes.values_list("pk", flat=True)}
        if not set(request.POST.getlist("users")) <= team_ids:
            raise PermissionDenied("You can only assign to AEs on your own team.")
        if not form.is_valid():
            return render(request, "quizzes/assignment_form.html", context, status=422)
        data = form.cleaned_data
        try:
            assignment = services.create_assignment(
                assigned_by=request.user,
                team=team,
                quiz=data["quiz"] if data["kind"] == "quiz" else None,
                drill_count=data["drill_count"] if data["kind"] == "drills" else None,
                users=list(data["users"]) if data["audience"] == "chosen" else None,
                due_at=data["due_at"],
                note=data["note"],
            )
        except services.AssessmentError as error:
            return _refusal(request, error, "quizzes/assignment_form.html", context)
        count = assignment.recipients.count()
        messages.success(
            request, f"Assigned {assignment.title} to {count} AE{'s' if count != 1 else ''}."
        )
        url = reverse("quizzes:team")
        return redirect(f"{url}?team={team.pk}" if teams else url)
    return render(request, "quizzes/assignment_form.html", context)


# --- Certification ---------------------------------------------------------------------------


@require_safe
def certification_page(request: HttpRequest) -> HttpResponse:
    """Each programme with every requirement's progress and the next thing to do; the AE's
    certificates (current and past) with their public links."""
    context: dict = {"programmes": [], "history": []}
    if request.user.is_ae:
        context["programmes"] = certification.progress_for(request.user)
        context["history"] = list(
            request.user.certificates.select_related("programme").order_by("-issued_at")
        )
    else:
        context["all_programmes"] = certification.programmes()
    return render(request, "quizzes/certification.html", context)


def _public_certificate(public_id) -> Certificate:
    try:
        return certification.certificate_with_changes(public_id)
    except Certificate.DoesNotExist as missing:
        raise Http404("No such certificate.") from missing


@login_not_required
@require_safe
def certificate(request: HttpRequest, public_id) -> HttpResponse:
    """The public verify page: name, programme, dates and status. Nothing else about the
    person. Anyone with the link may open it."""
    cert = _public_certificate(public_id)
    context = {"certificate": cert, "status": cert.status(), "status_label": cert.status_label()}
    return render(request, "quizzes/certificate.html", context)


@login_not_required
@require_safe
def certificate_pdf(request: HttpRequest, public_id) -> HttpResponse:
    cert = _public_certificate(public_id)
    verify_url = request.build_absolute_uri(cert.get_absolute_url())
    response = HttpResponse(certificate_pdf_bytes(cert, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="tierwise-certificate-{cert.public_id}.pdf"'
    )
    return response


def review_queue(request: HttpRequest, team) -> dict:
    """Finished role-play conversations of the team, newest first, filtered by AE, script,
    verdict and whether they are reviewed (?ae=&script=&verdict=&reviewed=yes|no)."""
    conversations = reviewable_by(request.user).filter(user__team=team)
    filters = {key: request.GET.get(key, "") for key in ("ae", "script", "verdict", "reviewed")}
    if (ae := int_param(filters["ae"])) is not None:
        conversations = conversations.filter(user_id=ae)
    if filters["script"]:
        conversations = conversations.filter(script__slug=filters["script"])
    if filters["verdict"] in ("strong", "weak"):
        conversations = conversations.filter(verdict=filters["verdict"])
    if filters["reviewed"] in ("yes", "no"):
        conversations = conversations.filter(reviews__isnull=filters["reviewed"] == "no")
    return {
        "conversations": list(conversations.distinct()[:50]),
        "filters": filters,
        "scripts": Script.objects.filter(is_active=True),
    }
