"""Each customer's relationship with us after a loss or a bad meeting: its status and every
change to it, the recovery plan's touchpoints, a change of rep, and the re-engagement date
("there is always next year")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from debrief.pipeline.models import Customer, FollowUp


class RelationshipStatus(models.TextChoices):
    INTACT = "intact", "Intact"
    STRAINED = "strained", "Strained"
    BROKEN = "broken", "Broken"
    RECOVERING = "recovering", "Recovering"
    RESTORED = "restored", "Restored"
    LOST_FOR_GOOD = "lost_for_good", "Lost for good"


DAMAGED = (RelationshipStatus.STRAINED, RelationshipStatus.BROKEN)


class Relationship(models.Model):
    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="relationship")
    status = models.CharField(
        max_length=16, choices=RelationshipStatus.choices, default=RelationshipStatus.INTACT
    )
    status_since = models.DateTimeField(default=timezone.now)
    damaged_since = models.DateTimeField(
        null=True, blank=True, help_text="When it last went from fine to strained or broken."
    )
    re_engage_on = models.DateField(null=True, blank=True)
    re_engage_note = models.CharField(max_length=300, blank=True)
    re_engage_follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="relationship_status")]

    def __str__(self) -> str:
        return f"{self.customer}: {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("relationships-relationship", args=[self.customer_id])

    @property
    def is_damaged(self) -> bool:
        return self.status in DAMAGED


class RelationshipEventKind(models.TextChoices):
    STATUS_CHANGED = "status_changed", "Status changed"
    REP_CHANGED = "rep_changed", "Rep changed"
    RE_ENGAGEMENT_SET = "re_engagement_set", "Re-engagement date set"
    TOUCHPOINT_DONE = "touchpoint_done", "Touchpoint done"


class RelationshipEvent(models.Model):
    """One change to a relationship, as a row. A status change into 'restored' carries the
    days it took to mend, so time to mend is read, not recomputed."""

    # no index of its own: "relevent_rel_at" starts with it
    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=24, choices=RelationshipEventKind.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["relationship", "-at"], name="relevent_rel_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d}"


class TouchpointKind(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    SHARE_VALUE = "share_value", "Share something of value"
    MEETING = "meeting", "Meeting"


class Touchpoint(models.Model):
    """One step of the recovery plan, in order, with a date and an owner."""

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="touchpoints"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=TouchpointKind.choices)
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    # no index of its own: "touchpoint_owner_due" starts with it
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="touchpoints",
        db_index=False,
    )
    done_at = models.DateTimeField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"], name="touchpoint_owner_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    def is_due(self, today: dt.date | None = None) -> bool:
        return self.done_at is None and self.due_on <= (today or timezone.localdate())
