"""The learning forms: opening a retro, proposing, merging, writing a best practice, and
marking a match applied or not relevant. They check shapes; the rules are in the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from debrief.learning.actions import PracticeInput
from debrief.learning.models import BestPractice
from debrief.losses.models import LossReason
from debrief.org.models import Role, Team, User
from debrief.pipeline.models import Competitor, Deal, DealStatus, Product, Stage, StageKind

# The lost deals offered when opening a retro: the most recent ones of the team.
RETRO_DEAL_CHOICES = 100


def _unknown(what: str) -> dict[str, str]:
    return {
        "invalid_choice": f"Unknown {what}: %(value)s.",
        "invalid_pk_value": f"Unknown {what}: %(pk)s.",
    }


class LostDealsField(forms.ModelMultipleChoiceField[Deal]):
    def label_from_instance(self, obj: Deal) -> str:
        return f"{obj.name} · {obj.customer.name} · {obj.amount:,.0f} {obj.currency}"


class RetroForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. Why we lost Acme to Rival")
    deals = LostDealsField(
        queryset=Deal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Lost deals to learn from",
        error_messages=_unknown("deal"),
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who takes part",
        help_text="Split into groups of 3–4.",
        error_messages=_unknown("person"),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recent = list(
            Deal.objects.filter(team=team, status=DealStatus.LOST)
            .order_by("-closed_on", "-pk")
            .values_list("pk", flat=True)[:RETRO_DEAL_CHOICES]
        )
        deals = self.fields["deals"]
        assert isinstance(deals, forms.ModelMultipleChoiceField)
        deals.queryset = (
            Deal.objects.filter(pk__in=recent)
            .select_related("customer")
            .order_by("-closed_on", "-pk")
        )
        people = self.fields["attendees"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = team_people(team)


def team_people(team: Team) -> QuerySet[User]:
    return (
        User.objects.filter(Q(teams=team) | Q(managed_teams=team), is_active=True)
        .exclude(role=Role.ANALYST)
        .distinct()
        .order_by("full_name", "email")
    )


class ProposalForm(forms.Form):
    statement = forms.CharField(
        max_length=300, label="The practice, in one sentence", help_text="What we will do."
    )
    why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why (optional)"
    )


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.IntegerField(label="Merge into")


class DecisionForm(forms.Form):
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PracticeForm(forms.Form):
    statement = forms.CharField(max_length=300, required=False, label="The practice")
    why = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Why it works"
    )
    stages = forms.ModelMultipleChoiceField(
        queryset=Stage.objects.filter(kind=StageKind.OPEN, is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only deals in these stages (none: any stage).",
        error_messages=_unknown("stage"),
    )
    competitors = forms.ModelMultipleChoiceField(
        queryset=Competitor.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
        help_text="Only deals against one of these (none: any).",
        error_messages=_unknown("competitor"),
    )
    products = forms.ModelMultipleChoiceField(
        queryset=Product.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
        help_text="Only deals including one of these (none: any).",
        error_messages=_unknown("product"),
    )
    segments = forms.CharField(
        max_length=300,
        required=False,
        help_text="Customer segments, separated by commas (none: any).",
    )
    min_amount = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, label="From size"
    )
    max_amount = forms.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), required=False, label="Up to size"
    )
    reasons = forms.ModelMultipleChoiceField(
        queryset=LossReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Loss reasons it answers",
        error_messages=_unknown("loss reason"),
    )
    keywords = forms.CharField(
        max_length=300,
        required=False,
        help_text="Words in a deal's notes, next step or meeting plans; one of them must appear.",
    )

    @classmethod
    def initial_for(cls, practice: BestPractice) -> dict[str, Any]:
        return {
            "statement": practice.statement,
            "why": practice.why,
            "stages": list(practice.stages.all()),
            "competitors": list(practice.competitors.all()),
            "products": list(practice.products.all()),
            "segments": ", ".join(practice.segments),
            "min_amount": practice.min_amount,
            "max_amount": practice.max_amount,
            "reasons": list(practice.reasons.all()),
            "keywords": practice.keywords,
        }

    def practice_input(self) -> PracticeInput:
        data = self.cleaned_data
        return PracticeInput(
            statement=data["statement"],
            why=data["why"],
            stages=list(data["stages"]),
            competitors=list(data["competitors"]),
            products=list(data["products"]),
            segments=[s for s in data["segments"].split(",") if s.strip()],
            min_amount=data["min_amount"],
            max_amount=data["max_amount"],
            reasons=list(data["reasons"]),
            keywords=data["keywords"],
        )
