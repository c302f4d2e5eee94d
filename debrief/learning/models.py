"""Learning as a team: retros on lost deals (groups, proposals, votes), the best practices they
publish, and each practice's matches against the open deals it applies to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from debrief.losses.models import Debrief, Lesson, LossReason
from debrief.org.models import Team
from debrief.pipeline.models import Competitor, Deal, Product, Stage


class RetroStatus(models.TextChoices):
    PROPOSING = "proposing", "Groups propose"
    VOTING = "voting", "The team votes"
    CLOSED = "closed", "Closed"


class Retro(models.Model):
    """A manager-run retrospective on one or more lost deals."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="retros")
    title = models.CharField(max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="facilitated_retros"
    )
    deals = models.ManyToManyField(Deal, related_name="retros")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="retros")
    status = models.CharField(
        max_length=12, choices=RetroStatus.choices, default=RetroStatus.PROPOSING
    )
    shuffle_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning-retro", args=[self.pk])


class RetroGroup(models.Model):
    # no index of its own: "retro_group_number" starts with it
    retro = models.ForeignKey(
        Retro, on_delete=models.CASCADE, related_name="groups", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="retro_groups")

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["retro", "number"], name="retro_group_number")
        ]

    def __str__(self) -> str:
        return f"Group {self.number}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    MERGED = "merged", "Merged into another"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not taken up"


class Proposal(models.Model):
    """A best practice a group proposes; merged, voted on, and accepted by the manager."""

    retro = models.ForeignKey(Retro, on_delete=models.CASCADE, related_name="proposals")
    group = models.ForeignKey(
        RetroGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="retro_proposals"
    )
    statement = models.CharField(max_length=300)
    why = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.statement


class Vote(models.Model):
    # no index of its own: "one_vote_per_proposal" starts with it
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retro_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_proposal")
        ]

    def __str__(self) -> str:
        return f"{self.voter} for {self.proposal_id}"


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class BestPractice(models.Model):
    """What the team will do differently, where it came from, and when it applies."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="practices")
    statement = models.CharField(max_length=300)
    why = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_practices"
    )
    status = models.CharField(
        max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    # Where it came from.
    retro = models.ForeignKey(
        Retro, on_delete=models.SET_NULL, null=True, blank=True, related_name="practices"
    )
    proposal = models.OneToOneField(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="practice"
    )
    source_deals = models.ManyToManyField(Deal, blank=True, related_name="practices_learnt")
    source_debriefs = models.ManyToManyField(Debrief, blank=True, related_name="practices")
    source_lessons = models.ManyToManyField(Lesson, blank=True, related_name="practices")
    # When it applies: every condition given must hold; none given means any deal.
    stages = models.ManyToManyField(Stage, blank=True, related_name="+")
    competitors = models.ManyToManyField(Competitor, blank=True, related_name="+")
    products = models.ManyToManyField(Product, blank=True, related_name="+")
    segments = models.JSONField(default=list, blank=True)
    min_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reasons = models.ManyToManyField(
        LossReason, blank=True, related_name="+", help_text="The loss reasons it answers."
    )
    keywords = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("learning-practice", args=[self.pk])


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", "To apply"
    APPLIED = "applied", "Applied"
    NOT_RELEVANT = "not_relevant", "Not relevant"
    EXPIRED = "expired", "Expired (deal closed)"


class PracticeMatch(models.Model):
    """'Apply practice P to deal D', with why it matched, and what the rep did about it."""

    # no indexes of their own: "one_match_per_deal" and "match_deal_status" start with them
    practice = models.ForeignKey(
        BestPractice, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="practice_matches", db_index=False
    )
    status = models.CharField(
        max_length=14, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    score = models.FloatField(default=0)
    reasons = models.JSONField(
        default=dict, help_text="Why it matched: the conditions met and the shared words."
    )
    note = models.TextField(blank=True, help_text="What the rep did, or why it is not relevant.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "deal"], name="one_match_per_deal")
        ]
        indexes = [models.Index(fields=["deal", "status"], name="match_deal_status")]

    def __str__(self) -> str:
        return f"Apply '{self.practice}' to {self.deal}"


class PracticeEvent(models.Model):
    """A change to a practice or its matches, as a row: published, retired, applied…"""

    practice = models.ForeignKey(BestPractice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.practice_id} at {self.at:%Y-%m-%d}"


class DealWords(models.Model):
    """The words of a deal's notes, next step, meeting plans and outcomes, normalised once
    when the deal changes, so matching a practice against 100,000 deals reads them instead
    of re-reading every plan."""

    deal = models.OneToOneField(Deal, on_delete=models.CASCADE, related_name="words")
    words = models.TextField(blank=True, help_text="Distinct stems, space-separated, sorted.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Words of {self.deal_id}"
