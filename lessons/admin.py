"""Admin for the course content (editable after `load_content`) and learner records."""

from django.contrib import admin

from . import services
from .forms import LessonForm
from .models import (
    CatalogueModel,
    CheckAnswer,
    CheckChoice,
    CheckQuestion,
    FieldGuideEntry,
    Lesson,
    LessonProgress,
    NamingSignal,
    TierProfile,
)


class ContentAdmin(admin.ModelAdmin):
    """Admin for a course-content model: every save or delete (inlines and the changelist's
    list_editable included) bumps the content version, so the lesson pages' cached fragments
    show the edit on the next view."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.bump_content_version()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.bump_content_version()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        services.bump_content_version()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        services.bump_content_version()


@admin.register(TierProfile)
class TierProfileAdmin(ContentAdmin):
    list_display = ("name", "relative_cost", "latency", "traffic_share", "failure_mode")
    readonly_fields = ("source_hash",)


class CheckQuestionInline(admin.StackedInline):
    model = CheckQuestion
    extra = 0
    fields = ("order", "prompt", "explanation", "is_active")
    show_change_link = True


@admin.register(Lesson)
class LessonAdmin(ContentAdmin):
    form = LessonForm
    list_display = ("order", "title", "slug", "tier", "visual", "is_published", "updated_at")
    list_display_links = ("title",)
    list_filter = ("is_published", "tier")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("source_hash", "updated_at")
    inlines = [CheckQuestionInline]


class CheckChoiceInline(admin.TabularInline):
    model = CheckChoice
    extra = 0


@admin.register(CheckQuestion)
class CheckQuestionAdmin(ContentAdmin):
    list_display = ("prompt", "lesson", "order", "is_active")
    list_filter = ("lesson", "is_active")
    search_fields = ("prompt",)
    inlines = [CheckChoiceInline]


@admin.register(CatalogueModel)
class CatalogueModelAdmin(ContentAdmin):
    list_display = ("name", "lab", "tier", "order")
    list_editable = ("tier", "order")
    list_filter = ("tier", "lab")
    search_fields = ("name", "note")
    readonly_fields = ("source_hash",)


@admin.register(NamingSignal)
class NamingSignalAdmin(ContentAdmin):
    list_display = ("signal", "tier", "note", "order")
    list_filter = ("tier",)
    readonly_fields = ("source_hash",)


@admin.register(FieldGuideEntry)
class FieldGuideEntryAdmin(ContentAdmin):
    list_display = ("order", "dont_say", "do_say", "why")
    list_display_links = ("dont_say",)
    search_fields = ("dont_say", "do_say", "why")
    readonly_fields = ("source_hash",)


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("user", "lesson", "last_viewed_at", "completed_at")
    list_filter = ("lesson",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(CheckAnswer)
class CheckAnswerAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "choice_text", "is_correct", "attempts", "answered_at")
    list_filter = ("is_correct", "question__lesson")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "choice")


# --- Routing simulator ---------------------------------------------------------------------------
CORPUS_HEADER = ["text", "tier", "reasoning", "latency", "volume", "stakes", "domain"]
