"""Significant sales meetings: the one-page plan, what the meeting achieved (advance, qualified
out, or honestly nothing), bad meetings with their causes and consequences, and the
"still a maybe, or a prolonged no?" decision that follows a bad meeting."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from debrief.org.models import Organisation
from debrief.pipeline.models import Contact, Deal, FollowUp


class MeetingMode(models.TextChoices):
    CALL = "call", "Call"
    VIDEO = "video", "Video"
    ON_SITE = "on_site", "On site"


class Meeting(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    mode = models.CharField(max_length=8, choices=MeetingMode.choices, default=MeetingMode.VIDEO)
    location = models.CharField(max_length=200, blank=True, help_text="Address or video link.")
    our_attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True
    )
    customer_contacts = models.ManyToManyField(Contact, related_name="meetings", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="meeting_starts_at")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("meetings-meeting", args=[self.pk])

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def has_happened(self, now: dt.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


# The eight prompts of the one-page plan, the upfront contract and the balance of value, in
# the order the page shows them: (field, label).
PLAN_PROMPTS = (
    ("attendees_and_goals", "Who am I meeting, and what are their goals?"),
    ("value_for_them", "What would make this meeting valuable for them?"),
    ("purpose", "Purpose of the meeting"),
    ("agenda", "Agenda and key topics"),
    ("insights_to_share", "Valuable insights I will share"),
    ("information_to_get", "Information I want to get"),
    ("questions_and_answers", "Predictable questions, and how I will answer them"),
    ("best_outcome", "The best possible outcome"),
    ("fallback_objective", "The fall-back objective if I miss it"),
)
UPFRONT_CONTRACT = (
    ("contract_purpose", "Agreed purpose"),
    ("contract_agenda", "Agreed agenda"),
    ("contract_their_wants", "What they want from the meeting"),
    ("contract_our_wants", "What we want from the meeting"),
    ("contract_best_outcome", "The best outcome we propose"),
)
BALANCE_OF_VALUE = (
    ("value_for_customer", "What the customer gains"),
    ("value_for_us", "What we gain"),
)
# A small deal's plan needs only these; a large one needs every prompt.
SHORT_PLAN = ("purpose", "best_outcome", "fallback_objective")


class MeetingPlan(models.Model):
    """The one-page plan. How much of it must be filled scales with the deal's amount."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="plan")
    attendees_and_goals = models.TextField(blank=True)
    value_for_them = models.TextField(blank=True)
    purpose = models.TextField(blank=True)
    agenda = models.TextField(blank=True)
    insights_to_share = models.TextField(blank=True)
    information_to_get = models.TextField(blank=True)
    questions_and_answers = models.TextField(blank=True)
    best_outcome = models.TextField(blank=True)
    fallback_objective = models.TextField(blank=True)
    contract_purpose = models.TextField(blank=True)
    contract_agenda = models.TextField(blank=True)
    contract_their_wants = models.TextField(blank=True)
    contract_our_wants = models.TextField(blank=True)
    contract_best_outcome = models.TextField(blank=True)
    contract_no_is_ok = models.BooleanField(
        "'No' is an acceptable answer, and I will say so", default=False
    )
    value_for_customer = models.TextField(blank=True)
    value_for_us = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Plan for {self.meeting}"

    def required_fields(self, organisation: Organisation | None = None) -> tuple[str, ...]:
        org = organisation or Organisation.current()
        if self.meeting.deal.amount < org.full_plan_threshold:
            return SHORT_PLAN
        return (
            *(f for f, _ in PLAN_PROMPTS),
            *(f for f, _ in UPFRONT_CONTRACT),
            "contract_no_is_ok",
            *(f for f, _ in BALANCE_OF_VALUE),
        )

    def missing(self, organisation: Organisation | None = None) -> list[str]:
        """The required parts still empty."""
        return [f for f in self.required_fields(organisation) if not _filled(getattr(self, f))]

    def completeness(self, organisation: Organisation | None = None) -> int:
        """Percent of the required parts filled in."""
        required = self.required_fields(organisation)
        done = len(required) - len(self.missing(organisation))
        return round(100 * done / len(required)) if required else 100

    def is_sufficient(self, organisation: Organisation | None = None) -> bool:
        return not self.missing(organisation)


def _filled(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return bool(str(value or "").strip())


class OutcomeResult(models.TextChoices):
    ADVANCE = "advance", "Significant advance"
    QUALIFIED_OUT = "qualified_out", "Qualified out"
    NO_OUTCOME = "no_outcome", "No outcome"


class PlanComparison(models.TextChoices):
    BEST = "best", "Best outcome met"
    FALLBACK = "fallback", "Fall-back objective met"
    NEITHER = "neither", "Neither"


class Valuable(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Not sure"


class MeetingOutcome(models.Model):
    """What the meeting achieved. Only an advance (a concrete commitment, or a discovery that
    improves our chance) and qualifying out count as valuable outcomes."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="outcome")
    result = models.CharField(max_length=16, choices=OutcomeResult.choices)
    commitment_what = models.CharField(max_length=300, blank=True)
    commitment_who = models.CharField(max_length=150, blank=True)
    commitment_by = models.DateField(null=True, blank=True)
    discovery = models.TextField(blank=True)
    qualified_out_why = models.TextField(blank=True)
    note = models.TextField(blank=True)
    compared_with_plan = models.CharField(max_length=10, choices=PlanComparison.choices)
    valuable_for_customer = models.CharField(
        "Was it valuable for the customer? (your view)", max_length=8, choices=Valuable.choices
    )
    valuable_for_customer_said = models.CharField(
        "Did the customer say it was valuable?", max_length=8, choices=Valuable.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_result_display()}: {self.meeting}"

    @property
    def is_valuable(self) -> bool:
        return self.result in (OutcomeResult.ADVANCE, OutcomeResult.QUALIFIED_OUT)


class BadMeetingCause(models.TextChoices):
    MISALIGNMENT = "misalignment", "Marketing and sales misalignment"
    QUALITY = "quality", "Product or service quality"
    PRICING = "pricing", "Pricing"
    REP_FIT = "rep_fit", "Personality or rep fit"
    TIMING = "timing", "Timing"
    OTHER = "other", "Other"


# Causes that belong to someone outside sales, who hears of them in the weekly digest.
CAUSE_OWNERS: dict[str, str] = {
    BadMeetingCause.MISALIGNMENT: "marketing",
    BadMeetingCause.QUALITY: "product",
}


class BadMeetingConsequence(models.TextChoices):
    OPPORTUNITY_LOST = "opportunity_lost", "Opportunity lost now"
    RELATIONSHIP_DAMAGED = "relationship_damaged", "Relationship damaged"
    CYCLE_LENGTHENED = "cycle_lengthened", "Sales cycle lengthened"
    FUTURE_LOST = "future_lost", "Future opportunity lost"


# Each consequence's recovery step (PRODUCT.md part 3): what to do, and in how many days.
RECOVERY_STEPS: dict[str, tuple[str, str, int]] = {
    BadMeetingConsequence.OPPORTUNITY_LOST: (
        "Ask what went wrong — later, not on the spot",
        "Give it a few days, then ask the customer, without arguing, what went wrong.",
        7,
    ),
    BadMeetingConsequence.RELATIONSHIP_DAMAGED: (
        "Make clear you want to mend the relationship",
        "Reach out to say you value the relationship and want to put it right.",
        3,
    ),
    BadMeetingConsequence.CYCLE_LENGTHENED: (
        "Decide: still a real 'maybe', or a prolonged 'no'? Fail fast",
        "Check whether the deal is still alive; if it is a slow no, qualify it out.",
        14,
    ),
    BadMeetingConsequence.FUTURE_LOST: (
        "Give them time, then rebuild — perhaps with a different rep",
        "Plan a re-engagement once things have cooled, and consider a change of rep.",
        60,
    ),
}


class DecisionChoice(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    STAY_IN = "stay_in", "Still a real maybe: stay in"
    QUALIFY_OUT = "qualify_out", "A prolonged no: qualify out"


DECISION_DAYS = 14


class BadMeeting(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="bad")
    note = models.TextField(blank=True)
    other_cause = models.CharField(max_length=200, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=12, choices=DecisionChoice.choices, default=DecisionChoice.PENDING
    )
    decision_due_on = models.DateField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        indexes = [models.Index(fields=["-flagged_at"], name="badmeeting_flagged")]

    def __str__(self) -> str:
        return f"Bad meeting: {self.meeting}"

    def decision_is_due(self, today: dt.date | None = None) -> bool:
        return self.decision == DecisionChoice.PENDING and (
            self.decision_due_on <= (today or timezone.localdate())
        )


class BadMeetingCauseRow(models.Model):
    # no index of its own: "bad_meeting_cause_once" starts with it
    bad_meeting = models.ForeignKey(
        BadMeeting, on_delete=models.CASCADE, related_name="causes", db_index=False
    )
    cause = models.CharField(max_length=16, choices=BadMeetingCause.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bad_meeting", "cause"], name="bad_meeting_cause_once")
        ]
        indexes = [models.Index(fields=["cause"], name="badmeeting_cause")]

    def __str__(self) -> str:
        return self.get_cause_display()


class BadMeetingConsequenceRow(models.Model):
    # no index of its own: "bad_meeting_consequence_once" starts with it
    bad_meeting = models.ForeignKey(
        BadMeeting, on_delete=models.CASCADE, related_name="consequences", db_index=False
    )
    consequence = models.CharField(max_length=24, choices=BadMeetingConsequence.choices)
    recovery_step = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bad_meeting", "consequence"], name="bad_meeting_consequence_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_consequence_display()
