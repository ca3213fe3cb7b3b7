from django.contrib import admin

from .models import TierProfile


@admin.register(TierProfile)
class TierProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "relative_cost", "latency", "traffic_share", "failure_mode")
