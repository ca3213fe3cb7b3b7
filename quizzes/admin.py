"""Admin for quizzes, assignments and attempts.

Quizzes are authored here or in quizzes/content/quizzes/*.yaml (loaded by load_content).
Attempts and answers are read-only: scores come from the server's scoring, never by hand.
"""

from django.contrib import admin

from .models import (
    Answer,
    Assignment,
    AssignmentRecipient,
    Attempt,
    Choice,
    Question,
    Quiz,
    Reminder,
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
