"""Admin for the course content (editable after `load_content`) and learner records."""

import csv

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse

from . import services, simulator_services
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
from .models.course import RESERVED_LESSON_SLUGS
from .models.simulator import CostAssumption, Disagreement, RoutingPlan, TierGuess
from .rendering import unknown_tokens


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


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = [
            "slug",
            "title",
            "order",
            "summary",
            "minutes",
            "tier",
            "visual",
            "body",
            "takeaways",
            "is_published",
        ]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_LESSON_SLUGS:
            raise forms.ValidationError(f"“{slug}” is a page of its own; choose another slug.")
        return slug

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        bad = unknown_tokens(body, TierProfile.objects.values_list("slug", flat=True))
        if bad:
            raise forms.ValidationError(
                "Unknown figure tokens: %(tokens)s. Use [[tier.field]], e.g. [[mid.latency]].",
                params={"tokens": ", ".join(bad)},
            )
        return body


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


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    """Review "I disagree" corrections; accepted ones export as training-corpus rows."""

    list_display = (
        "text_preview",
        "routed_tier",
        "suggested_tier",
        "confidence",
        "user",
        "status",
        "created_at",
    )
    list_filter = ("status", "suggested_tier", "routed_tier")
    search_fields = ("text", "reason", "user__username")
    readonly_fields = (
        "user",
        "routed_tier",
        "model_tier",
        "confidence",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    )
    fields = (
        "text",
        "suggested_tier",
        "reason",
        "latency",
        "volume",
        "stakes",
        "domain",
        "status",
        "user",
        "routed_tier",
        "model_tier",
        "confidence",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    )
    actions = ["accept", "reject", "export_corpus_rows"]

    @admin.display(description="Task")
    def text_preview(self, obj: Disagreement) -> str:
        return obj.text if len(obj.text) <= 80 else obj.text[:77] + "..."

    @admin.action(description="Accept selected corrections")
    def accept(self, request, queryset):
        count = simulator_services.review_disagreements(
            disagreements=queryset, reviewer=request.user, status=Disagreement.Status.ACCEPTED
        )
        self.message_user(request, f"Accepted {count} correction(s).", messages.SUCCESS)

    @admin.action(description="Reject selected corrections")
    def reject(self, request, queryset):
        count = simulator_services.review_disagreements(
            disagreements=queryset, reviewer=request.user, status=Disagreement.Status.REJECTED
        )
        self.message_user(request, f"Rejected {count} correction(s).", messages.SUCCESS)

    @admin.action(description="Export accepted corrections as corpus CSV rows")
    def export_corpus_rows(self, request, queryset):
        """CSV in the corpus format; save it beside the corpus and run train_router."""
        accepted = queryset.accepted().order_by("pk")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="corpus-corrections.csv"'
        writer = csv.writer(response)
        writer.writerow(CORPUS_HEADER)
        for disagreement in accepted:
            writer.writerow(disagreement.corpus_row())
        return response


@admin.register(TierGuess)
class TierGuessAdmin(admin.ModelAdmin):
    list_display = ("user", "guessed_tier", "routed_tier", "deciding_dimension", "created_at")
    list_filter = ("guessed_tier", "routed_tier")
    search_fields = ("text", "user__username")
    readonly_fields = [f.name for f in TierGuess._meta.fields]


@admin.register(RoutingPlan)
class RoutingPlanAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "created_at")
    search_fields = ("title", "owner__username")
    readonly_fields = ("owner", "rows", "errors", "created_at")


@admin.register(CostAssumption)
class CostAssumptionAdmin(admin.ModelAdmin):
    """The illustrative price per mid-tier request behind every money figure."""

    list_display = ("__str__", "updated_at")
