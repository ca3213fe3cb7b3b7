from django.contrib import admin

from .models import (
    DrillAnswer,
    DrillSession,
    Persona,
    RoleplayAttempt,
    RoleplayPrompt,
    Scenario,
    ScenarioReview,
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
