"""When the customer says no: the loss record and its reasons, the rep's own-it review, the
customer debrief with its answers, and the lessons drawn from them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from debrief.org.models import Organisation, Team
from debrief.pipeline.models import Competitor, Contact, Deal, FollowUp, Stage


class OutcomeType(models.Model):
    """How the deal was lost, from the customer's side: an admin-editable list."""

    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="outcometype_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class LossReason(models.Model):
    """One entry of the organisation's reason list. Retired reasons stay on past losses but are
    not offered for new ones; a merged reason points at the one it was merged into."""

    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_other = models.BooleanField(
        default=False, help_text="The catch-all 'Other': watched so it does not swallow the list."
    )
    outside_rep_control = models.BooleanField(
        default=False,
        help_text="Price, marketing, the customer: reasons a rep cannot change alone.",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(Lower("name"), name="lossreason_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class ReasonEventKind(models.TextChoices):
    ADDED = "added", "Added"
    RENAMED = "renamed", "Renamed"
    RETIRED = "retired", "Retired"
    RESTORED = "restored", "Restored"
    MERGED = "merged", "Merged"


class ReasonEvent(models.Model):
    """A change to the reason list, as a row (a merge re-points past losses: this says which)."""

    reason = models.ForeignKey(LossReason, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=ReasonEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reason} {self.kind} at {self.at:%Y-%m-%d}"


class DebriefConsent(models.TextChoices):
    YES = "yes", "Yes, they agreed"
    NO = "no", "No, they declined"
    NOT_ASKED = "not_asked", "Not asked yet"


class LossRecord(models.Model):
    """What was lost, how and why, as the rep recorded it when the customer said no. A reopened
    deal keeps its loss records: `reopened_at` marks the ones that no longer stand."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="losses")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_losses"
    )
    lost_on = models.DateField(default=timezone.localdate)
    outcome_type = models.ForeignKey(OutcomeType, on_delete=models.PROTECT, related_name="losses")
    reasons = models.ManyToManyField(LossReason, through="LossRecordReason", related_name="losses")
    competitors = models.ManyToManyField(Competitor, blank=True, related_name="won_against_us")
    stage_at_loss = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    amount_at_loss = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    note = models.TextField(blank=True)
    debrief_consent = models.CharField(
        max_length=12, choices=DebriefConsent.choices, default=DebriefConsent.NOT_ASKED
    )
    # The rep's judgement when recording the loss; a damaged relationship is marked strained.
    relationship_damaged = models.BooleanField(default=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-lost_on", "-pk"]
        indexes = [models.Index(fields=["-lost_on"], name="loss_lost_on")]

    def __str__(self) -> str:
        return f"Loss of {self.deal} on {self.lost_on}"

    def get_absolute_url(self) -> str:
        return reverse("losses-loss", args=[self.pk])

    def is_major(self, organisation: Organisation | None = None) -> bool:
        org = organisation or Organisation.current()
        return self.amount_at_loss >= org.major_deal_threshold

    @property
    def primary_reason(self) -> LossReason | None:
        for link in self.reason_links.all():
            if link.is_primary:
                return link.reason
        return None


class LossRecordReason(models.Model):
    # no index of its own: "loss_reason_unique" starts with it
    loss = models.ForeignKey(
        LossRecord, on_delete=models.CASCADE, related_name="reason_links", db_index=False
    )
    reason = models.ForeignKey(LossReason, on_delete=models.PROTECT, related_name="loss_links")
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "reason__order"]
        constraints = [
            models.UniqueConstraint(fields=["loss", "reason"], name="loss_reason_unique"),
            models.UniqueConstraint(
                fields=["loss"], condition=models.Q(is_primary=True), name="loss_one_primary_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason}{' (primary)' if self.is_primary else ''}"


class OwnItReview(models.Model):
    """The rep's own review of a loss: what I could have done, what I will do next time. Kept
    apart from what the customer says, so the two can be compared."""

    loss = models.OneToOneField(LossRecord, on_delete=models.CASCADE, related_name="own_it")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="own_it_reviews"
    )
    could_have_done_differently = models.TextField(blank=True)
    will_do_next_time = models.TextField(blank=True)
    decisive_reason = models.ForeignKey(
        LossReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Own-it review of {self.loss.deal}"

    def get_absolute_url(self) -> str:
        return reverse("losses-own-it", args=[self.loss_id])

    @property
    def is_empty(self) -> bool:
        return not (self.could_have_done_differently.strip() or self.will_do_next_time.strip())


class DebriefKind(models.TextChoices):
    ORDINARY = "ordinary", "Rep-led debrief"
    POST_MORTEM = "post_mortem", "Manager-led post-mortem"


class DebriefStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    DECLINED = "declined", "Declined by customer"
    CANCELLED = "cancelled", "Cancelled"


DEBRIEF_OPENER = (
    "We are not going to try to change your mind; we'd like to ask a few questions so we can "
    "get better."
)
DEBRIEF_QUESTIONS = (
    "What did the winner do that were positive reasons to choose them?",
    "How did we compare on your important priorities?",
    "Which of your needs do you feel we understood less well than the one you chose?",
    "What one or two recommendations would help us get better?",
    "Will we have a chance to win your business again in the future?",
)
DEBRIEF_REMINDERS = (
    "Ask for an example where an answer is unclear.",
    "Don't debate: you are here to learn, not to win the argument.",
    "Listen more than you speak.",
)


class Debrief(models.Model):
    """The call with the customer after a loss: never the call where the loss is learnt."""

    loss = models.OneToOneField(LossRecord, on_delete=models.CASCADE, related_name="debrief")
    kind = models.CharField(max_length=12, choices=DebriefKind.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_debriefs"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="joined_debriefs"
    )
    customer_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="debriefs"
    )
    status = models.CharField(
        max_length=12, choices=DebriefStatus.choices, default=DebriefStatus.PROPOSED
    )
    proposed_for = models.DateTimeField()
    scheduled_for = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    held_at = models.DateTimeField(null=True, blank=True)
    contact_follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer_decisive_reason = models.ForeignKey(
        LossReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposed_for", "pk"]
        indexes = [models.Index(fields=["status", "proposed_for"], name="debrief_status_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.loss.deal}"

    def get_absolute_url(self) -> str:
        return reverse("losses-debrief", args=[self.pk])

    @property
    def when(self) -> dt.datetime:
        return self.scheduled_for or self.proposed_for

    @property
    def is_open(self) -> bool:
        return self.status in (DebriefStatus.PROPOSED, DebriefStatus.SCHEDULED)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """A major loss whose post-mortem was neither held nor declined within 21 days."""
        today = today or timezone.localdate()
        return (
            self.kind == DebriefKind.POST_MORTEM
            and self.is_open
            and (today - self.loss.lost_on).days > 21
        )


class DebriefAnswer(models.Model):
    """The customer's answer to one question: one of the five (number 1–5) or one the leader
    added (number 0, with its own text)."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="answers")
    number = models.PositiveSmallIntegerField(default=0)
    question = models.CharField(max_length=300)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number", "pk"]

    def __str__(self) -> str:
        return self.question


class LessonSource(models.TextChoices):
    DEBRIEF = "debrief", "Customer debrief"
    OWN_IT = "own_it", "Own-it review"


class Lesson(models.Model):
    """What the team learnt from a loss, linked back to where it came from."""

    loss = models.ForeignKey(LossRecord, on_delete=models.CASCADE, related_name="lessons")
    source = models.CharField(max_length=12, choices=LessonSource.choices)
    debrief = models.ForeignKey(
        Debrief, on_delete=models.CASCADE, null=True, blank=True, related_name="lessons"
    )
    own_it = models.ForeignKey(
        OwnItReview, on_delete=models.CASCADE, null=True, blank=True, related_name="lessons"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="lessons")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lessons"
    )
    statement = models.CharField(max_length=300)
    do_differently = models.TextField(blank=True)
    tag_stage = models.ForeignKey(
        Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tag_competitor = models.ForeignKey(
        Competitor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tag_segment = models.CharField(max_length=100, blank=True)
    tag_product = models.CharField(max_length=120, blank=True)
    tag_reason = models.ForeignKey(
        LossReason, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("losses-lesson", args=[self.pk])
