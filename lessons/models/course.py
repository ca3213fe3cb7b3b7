"""The course: tier profiles, lessons, the catalogue, progress."""

from django.db import models


class Tier(models.TextChoices):
    SMALL = "small", "Small"
    MID = "mid", "Efficient mid-tier"
    FRONTIER = "frontier", "Frontier"


class TierProfile(models.Model):
    """One tier's figures, stated once and used by the lessons, the simulator and the plan."""

    slug = models.CharField(max_length=10, choices=Tier.choices, unique=True)
    name = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)
    tagline = models.CharField(max_length=200, blank=True)
    what_it_is = models.TextField(blank=True)
    relative_cost = models.CharField(max_length=200)
    cost_index_low = models.DecimalField(
        max_digits=8, decimal_places=3, help_text="Per-request cost relative to mid-tier = 1."
    )
    cost_index_high = models.DecimalField(max_digits=8, decimal_places=3)
    cost_note = models.CharField(max_length=300, blank=True)
    latency = models.CharField(max_length=200)
    latency_ms_low = models.PositiveIntegerField()
    latency_ms_high = models.PositiveIntegerField()
    traffic_share = models.CharField(max_length=200, blank=True)
    failure_mode = models.CharField(max_length=100)
    failure_mode_detail = models.TextField(blank=True)
    reasoning = models.CharField(max_length=20, blank=True)
    reasoning_detail = models.TextField(blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name
