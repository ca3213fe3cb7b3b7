"""Admin for the simulator's records: "I disagree" reports to review, guesses, saved plans,
and the cost assumption."""

import csv

from django.contrib import admin, messages
from django.http import HttpResponse

from . import services
from .classifier.corpus import FIELDS
from .models import CostAssumption, Disagreement, RoutingPlan, TierGuess


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
        *readonly_fields,
    )
    actions = ["accept", "reject", "export_corpus_rows"]

    @admin.display(description="Task")
    def text_preview(self, obj: Disagreement) -> str:
        return obj.text if len(obj.text) <= 80 else obj.text[:77] + "..."

    @admin.action(description="Accept selected corrections")
    def accept(self, request, queryset):
        count = services.review_disagreements(
            disagreements=queryset, reviewer=request.user, status=Disagreement.Status.ACCEPTED
        )
        self.message_user(request, f"Accepted {count} correction(s).", messages.SUCCESS)

    @admin.action(description="Reject selected corrections")
    def reject(self, request, queryset):
        count = services.review_disagreements(
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
        writer.writerow(FIELDS)
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
