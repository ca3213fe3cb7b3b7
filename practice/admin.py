from django.contrib import admin

from .models import (
    Conversation,
    ConversationTurn,
    DrillAnswer,
    DrillSession,
    Persona,
    Review,
    RoleplayAttempt,
    RoleplayPrompt,
    Rubric,
    RubricCheck,
    Scenario,
    ScenarioReview,
    Script,
)


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("title", "industry", "correct_tier", "is_active")
    list_filter = ("correct_tier", "industry", "is_active")
    search_fields = ("title", "task", "slug")


@admin.register(DrillAnswer)
class DrillAnswerAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "picked_tier", "correct_tier", "is_correct", "created_at")
    list_filter = ("is_correct", "picked_tier", "correct_tier")
    raw_id_fields = ("user", "scenario")


@admin.register(ScenarioReview)
class ScenarioReviewAdmin(admin.ModelAdmin):
    list_display = ("user", "scenario", "box", "due_at", "last_answered_at")
    list_filter = ("box",)
    raw_id_fields = ("user", "scenario")


@admin.register(DrillSession)
class DrillSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "size", "created_at")
    raw_id_fields = ("user",)


class RoleplayPromptInline(admin.StackedInline):
    model = RoleplayPrompt
    extra = 0


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "order")
    search_fields = ("name", "role", "slug")
    inlines = [RoleplayPromptInline]


@admin.register(RoleplayPrompt)
class RoleplayPromptAdmin(admin.ModelAdmin):
    list_display = ("slug", "persona", "kind", "is_active")
    list_filter = ("kind", "is_active", "persona")
    search_fields = ("slug", "line")


@admin.register(RoleplayAttempt)
class RoleplayAttemptAdmin(admin.ModelAdmin):
    list_display = ("user", "prompt", "score", "verdict", "created_at")
    list_filter = ("verdict",)
    raw_id_fields = ("user", "prompt")
    readonly_fields = ("feedback",)


# --- Conversations, rubrics and reviews --------------------------------------------------------


@admin.register(Script)
class ScriptAdmin(admin.ModelAdmin):
    list_display = ("title", "persona", "is_active")
    readonly_fields = ("source_hash",)


class RubricCheckInline(admin.TabularInline):
    model = RubricCheck
    extra = 0
    max_num = Rubric.MAX_CHECKS
    fields = ("order", "label", "kind", "idea", "dont_say_row", "phrases", "weight")


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("script", "pass_mark", "updated_at")
    inlines = [RubricCheckInline]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class ConversationTurnInline(admin.TabularInline):
    model = ConversationTurn
    extra = 0
    can_delete = False
    fields = ("number", "buyer_line", "reply", "score", "verdict", "dont_say_rows", "ideas")
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("user", "script", "status", "verdict", "score", "started_at")
    list_filter = ("status", "verdict", "script")
    readonly_fields = ("user", "script", "status", "node", "outcome", "score", "verdict")
    inlines = [ConversationTurnInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """The audit history of manager reviews: read-only, never deleted."""

    list_display = ("conversation", "reviewer", "verdict", "suggested_verdict", "created_at")
    readonly_fields = ("conversation", "reviewer", "verdict", "suggested_verdict", "comment")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
