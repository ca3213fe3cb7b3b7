from django.contrib import admin

from quizzes.models import DrillAnswer, Scenario


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
