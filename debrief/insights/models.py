"""Insights: precomputed counts (rollups) that the dashboards read, kept current by the
actions and rebuilt by `debrief insights rebuild`. See docs/insights.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import timezone


class Rollup(models.Model):
    """A count and a sum for one group: e.g. metric "deals", dimension "segment", group
    "Retail", month 2025-03-01, owner 7, team 2, key "won" → 41 deals worth 1.2M.

    `owner_id`/`team_id` are kept on every row so that figures can be scoped to what a user
    may see; 0 means none. `month` is the first day of the month the row counts in."""

    metric = models.CharField(max_length=24)
    dimension = models.CharField(max_length=160, blank=True)
    group = models.CharField(max_length=200, blank=True)
    month = models.DateField()
    owner_id = models.IntegerField(default=0)
    team_id = models.IntegerField(default=0)
    key = models.CharField(max_length=40, blank=True)
    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))
    unpriced = models.BigIntegerField(
        default=0, help_text="Counted, but its amount is in another currency and not summed."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "group", "month", "owner_id", "team_id", "key"],
                name="rollup_key_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["metric", "dimension", "month", "owner_id", "team_id"],
                name="rollup_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.dimension}/{self.group}/{self.month}/{self.key}: {self.count}"


class DayCount(models.Model):
    """How many items in a group took exactly `days` days (sales cycle, loss → debrief...).
    A histogram per group, so medians and percentiles are exact and cost per distinct day
    count, not per deal."""

    metric = models.CharField(max_length=24)
    dimension = models.CharField(max_length=160, blank=True)
    group = models.CharField(max_length=200, blank=True)
    month = models.DateField()
    owner_id = models.IntegerField(default=0)
    team_id = models.IntegerField(default=0)
    key = models.CharField(max_length=40, blank=True)
    days = models.IntegerField()
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "metric",
                    "dimension",
                    "group",
                    "month",
                    "owner_id",
                    "team_id",
                    "key",
                    "days",
                ],
                name="daycount_key_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["metric", "dimension", "month", "owner_id", "team_id"],
                name="daycount_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}/{self.group}/{self.key}: {self.days}d × {self.count}"


class Contribution(models.Model):
    """What one deal (or customer) last added to the rollups, so that a change can subtract
    exactly that before adding the new figures."""

    source = models.CharField(max_length=12)
    source_id = models.BigIntegerField()
    fact = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="contribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_id}"


class AttributeDimension(models.Model):
    """An imported column (Deal.attributes key) someone grouped by: from then on its rollups
    are kept like the built-in dimensions'."""

    header = models.CharField(max_length=150, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.header


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)
