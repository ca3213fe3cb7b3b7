"""Admin for quizzes, assignments and attempts.

Quizzes are authored here or in quizzes/content/quizzes/*.yaml (loaded by load_content).
Attempts and answers are read-only: scores come from the server's scoring, never by hand.
"""

from django.contrib import admin

from . import certification
from .models import (
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    Certificate,
    Choice,
    MaterialChange,
    Programme,
    Question,
    Quiz,
    Reminder,
    Requirement,
)


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("position", "key", "kind", "prompt", "answer_tier", "is_active")
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "pass_mark",
        "max_attempts",
        "time_limit_minutes",
        "reveal",
        "is_self_paced",
        "is_active",
    )
    list_filter = ("is_active", "is_self_paced", "reveal")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ("position", "key", "text", "is_correct")
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "quiz", "kind", "position", "is_active")
    list_filter = ("quiz", "kind", "is_active")
    search_fields = ("prompt", "explanation")
    inlines = [ChoiceInline]


class RecipientInline(admin.TabularInline):
    model = AssignmentRecipient
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "team", "assigned_by", "assigned_at", "due_at")
    list_filter = ("team",)
    raw_id_fields = ("assigned_by",)
    inlines = [RecipientInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient",)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("question", "selected", "picked_tier", "credit", "is_correct", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "quiz", "number", "started_at", "submitted_at", "score", "passed")
    list_filter = ("quiz", "passed")
    search_fields = ("user__username",)
    readonly_fields = (
        "user",
        "quiz",
        "assignment",
        "number",
        "question_ids",
        "seed",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
        "passed",
    )
    inlines = [AnswerInline]

    def has_add_permission(self, request) -> bool:
        return False


# --- Certification --------------------------------------------------------------------------


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0
    fields = (
        "order",
        "kind",
        "title",
        "lessons",
        "quizzes",
        "min_count",
        "min_percent",
        "over_last",
    )
    filter_horizontal = ("lessons", "quizzes")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "validity_months", "recertify_grace_days", "is_active")
    readonly_fields = ("source_hash",)
    inlines = [RequirementInline]


@admin.register(MaterialChange)
class MaterialChangeAdmin(admin.ModelAdmin):
    """Mark a content change as material: holders certified before it must meet the
    requirement again within the programme's grace period."""

    list_display = ("requirement", "note", "changed_at", "created_by")
    list_select_related = ("requirement__programme", "created_by")
    readonly_fields = ("created_by",)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are never deleted: to withdraw one, give a revocation reason and save."""

    list_display = ("user", "programme", "issued_at", "expires_at", "revoked_at", "replaced_at")
    list_filter = ("programme", "revoked_at", "replaced_at")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    readonly_fields = (
        "public_id",
        "user",
        "programme",
        "issued_at",
        "expires_at",
        "replaced_at",
        "revoked_at",
        "revoked_by",
    )
    fields = (*readonly_fields, "revoked_reason")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if obj.revoked_reason.strip() and obj.revoked_at is None:
            certification.revoke(certificate=obj, reason=obj.revoked_reason, by=request.user)
        else:
            super().save_model(request, obj, form, change)
