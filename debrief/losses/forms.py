"""The forms of the loss loop's pages. They check the shape of the input and offer only the
choices a person should make now; the rules (a reason is required, a retired reason is
refused, only participants write a debrief) live in `losses.actions`, whose errors
`add_action_errors` puts beside the fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone

from debrief.losses.models import (
    DEBRIEF_QUESTIONS,
    DebriefConsent,
    DebriefStatus,
    LossReason,
    LossRecord,
    OutcomeType,
)
from debrief.org import access
from debrief.org.models import Team, User
from debrief.pipeline.models import Competitor, Contact, Stage, StageKind
from debrief.web.widgets import DateInput

MULTIPLE_HELP = "Hold Ctrl (⌘ on a Mac) to choose more than one."
# The version a debrief form was read at: without it, a save could overwrite someone's work.
STALE_FORM = {
    "required": "This form is missing the debrief's version; reload the debrief.",
    "invalid": "This form is missing the debrief's version; reload the debrief.",
}


def _offer(field: forms.Field, qs: Iterable[Any]) -> None:
    """Offer only `qs` in the widget while the field still accepts any row, so a retired
    choice that reaches the action gets the action's clear message rather than Django's
    "Select a valid choice"."""
    choices: list[tuple[Any, str]] = [(obj.pk, str(obj)) for obj in qs]
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        empty = field.empty_label
        if empty is not None:
            choices.insert(0, ("", str(empty)))
    field.choices = choices  # type: ignore[attr-defined]


# --- marking a deal lost, and reopening it ------------------------------------------------


def relationship_damaged_field() -> forms.TypedChoiceField:
    """The rep's judgement when recording a loss: a damaged relationship is marked strained,
    to be mended. Left out (an older form, a script), it did, as most losses do."""
    return forms.TypedChoiceField(
        label="Did this loss damage the relationship with the customer?",
        choices=[
            ("yes", "Yes: mark it strained, to be mended"),
            ("no", "No: we parted on good terms"),
        ],
        coerce=lambda value: value != "no",
        initial="yes",
        empty_value=True,  # type: ignore[arg-type]  # any value, say the docs; not the stubs
        required=False,
        widget=forms.RadioSelect,
    )


class LossForm(forms.Form):
    outcome_type = forms.ModelChoiceField(
        label="How was it lost?",
        queryset=OutcomeType.objects.all(),
        required=False,  # the action names what is missing, beside each field at once
        empty_label="Choose the outcome",
    )
    reasons = forms.ModelMultipleChoiceField(
        label="Reasons",
        queryset=LossReason.objects.all(),
        required=False,  # the action says why a reason is needed, beside this field
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every reason that played a part, and mark the main one.",
    )
    primary_reason = forms.ModelChoiceField(
        label="Main reason",
        queryset=LossReason.objects.all(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    competitors = forms.ModelMultipleChoiceField(
        label="Competitors who won",
        queryset=Competitor.objects.all(),
        required=False,
        help_text=f"Optional. {MULTIPLE_HELP}",
    )
    note = forms.CharField(
        label="Your note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the customer said, in their words if you can.",
    )
    debrief_consent = forms.ChoiceField(
        label="Did the customer agree to a debrief call later?",
        choices=DebriefConsent.choices,
        initial=DebriefConsent.NOT_ASKED,
        required=False,  # left out, it was not asked yet
        widget=forms.RadioSelect,
    )
    relationship_damaged = relationship_damaged_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = list(LossReason.objects.filter(is_active=True))
        self.active_reasons = active
        _offer(self.fields["outcome_type"], OutcomeType.objects.filter(is_active=True))
        _offer(self.fields["reasons"], active)
        _offer(self.fields["primary_reason"], active)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reasons = list(data.get("reasons") or [])
        primary = data.get("primary_reason")
        # Marking a reason as the main one says it was a reason.
        if primary is not None and primary not in reasons:
            reasons.append(primary)
        data["reasons"] = reasons
        return data

    def reason_rows(self) -> list[dict[str, Any]]:
        """One row per reason offered: its checkbox and its "main reason" radio, so the
        template can lay them out side by side."""
        ticked = {str(v) for v in self["reasons"].value() or []}
        primary = str(self["primary_reason"].value() or "")
        return [
            {
                "reason": reason,
                "value": str(reason.pk),
                "ticked": str(reason.pk) in ticked,
                "primary": str(reason.pk) == primary,
            }
            for reason in self.active_reasons
        ]


class ReopenForm(forms.Form):
    stage = forms.ModelChoiceField(
        label="Reopen into stage",
        queryset=Stage.objects.filter(kind=StageKind.OPEN, is_active=True),
        empty_label=None,
    )


# --- the own-it review --------------------------------------------------------------------


def reasons_for(loss: LossRecord) -> QuerySet[LossReason]:
    """The reasons one may name about this loss: the active ones and those the loss was given
    (even if retired since)."""
    return LossReason.objects.filter(
        Q(is_active=True) | Q(pk__in=loss.reason_links.values("reason_id"))
    )


class OwnItForm(forms.Form):
    could_have_done_differently = forms.CharField(
        label="What could I have done differently?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    will_do_next_time = forms.CharField(
        label="What will I do next time?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decisive_reason = forms.ModelChoiceField(
        label="Which reason do I think was decisive?",
        queryset=LossReason.objects.all(),
        required=False,
        empty_label="Choose one",
    )

    def __init__(self, *args: Any, loss: LossRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["decisive_reason"], reasons_for(loss))


# --- lessons ------------------------------------------------------------------------------


class LessonForm(forms.Form):
    statement = forms.CharField(
        label="The lesson, in one sentence",
        max_length=300,
        required=False,  # the action asks for it, beside this field
    )
    do_differently = forms.CharField(
        label="What to do differently",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tag_stage = forms.ModelChoiceField(
        label="Stage", queryset=Stage.objects.all(), required=False, empty_label="—"
    )
    tag_competitor = forms.ModelChoiceField(
        label="Competitor", queryset=Competitor.objects.all(), required=False, empty_label="—"
    )
    tag_segment = forms.CharField(label="Segment", max_length=100, required=False)
    tag_product = forms.CharField(label="Product", max_length=120, required=False)
    tag_reason = forms.ModelChoiceField(
        label="Reason", queryset=LossReason.objects.all(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, loss: LossRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["tag_reason"], reasons_for(loss))


def lesson_initial(loss: LossRecord) -> dict[str, Any]:
    """The tags a lesson starts with: the facts of the loss it comes from."""
    deal = loss.deal
    competitor = loss.competitors.first()
    product = deal.products.first()
    primary = loss.primary_reason
    return {
        "tag_stage": loss.stage_at_loss_id,
        "tag_competitor": competitor.pk if competitor else None,
        "tag_segment": deal.customer.segment,
        "tag_product": product.name if product else "",
        "tag_reason": primary.pk if primary else None,
    }


# --- the customer debrief -----------------------------------------------------------------


class DebriefAnswersForm(forms.Form):
    """The five questions, the ones the leader added, a new one, the customer's decisive
    reason and the notes, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_FORM)
    new_question = forms.CharField(
        label="Add a question", max_length=300, required=False, help_text="Optional."
    )
    new_answer = forms.CharField(
        label="Its answer", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    customer_decisive_reason = forms.ModelChoiceField(
        label="The customer's decisive reason",
        queryset=LossReason.objects.all(),
        required=False,
        empty_label="Not said yet",
        help_text="From the same list the rep used, so the two can be compared.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self, *args: Any, loss: LossRecord, added: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        """`added` is the leader's own questions so far, as (question, answer)."""
        super().__init__(*args, **kwargs)
        answers: dict[str, forms.Field] = {}
        for number, question in enumerate(DEBRIEF_QUESTIONS, start=1):
            answers[f"answer_{number}"] = forms.CharField(
                label=f"{number}. {question}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for index, (question, _) in enumerate(added):
            answers[f"extra_answer_{index}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        # The numbered questions first, then the added ones, then the rest.
        self.fields = {**answers, **self.fields}
        self.added = added
        _offer(self.fields["customer_decisive_reason"], reasons_for(loss))

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{n}"] for n in range(1, len(DEBRIEF_QUESTIONS) + 1)]

    def added_fields(self) -> list[forms.BoundField]:
        return [self[f"extra_answer_{i}"] for i in range(len(self.added))]


class DebriefScheduleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=STALE_FORM)
    scheduled_for = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=10, max_value=240, initial=30
    )
    customer_contact = forms.ModelChoiceField(
        label="Customer contact",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="Not chosen yet",
    )

    def __init__(self, *args: Any, customer_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer_contact"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            customer_id=customer_id
        )


class DebriefCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="Close as",
        choices=[
            (DebriefStatus.DECLINED, DebriefStatus.DECLINED.label),
            (DebriefStatus.CANCELLED, DebriefStatus.CANCELLED.label),
        ],
    )
    note = forms.CharField(label="Why", max_length=500, required=False)


def schedule_initial(when: dt.datetime, duration: int, contact_id: int | None) -> dict[str, Any]:
    """The schedule form starts at the current time of the call, in the user's time zone."""
    return {
        "scheduled_for": timezone.localtime(when).replace(second=0, microsecond=0, tzinfo=None),
        "duration_minutes": duration,
        "customer_contact": contact_id,
    }


# --- the losses list ----------------------------------------------------------------------


class LossFilterForm(forms.Form):
    """Only renders the filters: `queries.LossFilters` parses them (for the API too), so the
    parse errors are added by the view."""

    lost_from = forms.CharField(label="Lost from", required=False, widget=DateInput)
    lost_to = forms.CharField(label="Lost to", required=False, widget=DateInput)
    reason = forms.CharField(label="Reason", required=False, widget=forms.Select)
    outcome_type = forms.CharField(label="Outcome", required=False, widget=forms.Select)
    competitor = forms.CharField(label="Competitor", required=False, widget=forms.Select)
    debrief_status = forms.CharField(
        label="Debrief",
        required=False,
        widget=forms.Select(
            choices=[("", "Any debrief"), *DebriefStatus.choices, ("none", "No debrief")]
        ),
    )
    team = forms.CharField(label="Team", required=False, widget=forms.Select)
    owner = forms.CharField(label="Rep", required=False, widget=forms.Select)
    major = forms.BooleanField(label="Major deals only", required=False)

    def __init__(
        self, data: Mapping[str, Any], *, user: User, errors: Mapping[str, list[str]]
    ) -> None:
        super().__init__(data)

        def options(empty: str, rows: Any) -> list[tuple[Any, str]]:
            return [("", empty), *rows]

        def retired(obj: Any) -> str:
            return obj.name if obj.is_active else f"{obj.name} (retired)"

        self.fields["reason"].widget.choices = options(
            "Any reason", ((r.pk, retired(r)) for r in LossReason.objects.all())
        )
        self.fields["outcome_type"].widget.choices = options(
            "Any outcome", ((o.pk, retired(o)) for o in OutcomeType.objects.all())
        )
        self.fields["competitor"].widget.choices = options(
            "Any competitor", Competitor.objects.order_by("name").values_list("pk", "name")
        )
        deals = access.deals_visible_to(user)
        teams = Team.objects.order_by("name")
        if not access.reads_everything(user):
            teams = teams.filter(pk__in=deals.values("team_id"))
        self.fields["team"].widget.choices = options("Any team", teams.values_list("pk", "name"))
        owners = User.objects.order_by("full_name")
        if not access.reads_everything(user):
            owners = owners.filter(pk__in=deals.values("owner_id"))
        self.fields["owner"].widget.choices = options(
            "Anyone", owners.values_list("pk", "full_name")
        )
        self.filter_errors = errors

    def full_clean(self) -> None:
        # The errors are LossFilters' own, so the page and the API name bad values alike.
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, messages in self.filter_errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class(
                    messages, renderer=self.renderer, field_id=self[name].auto_id
                )


# --- the reason list and outcome types ----------------------------------------------------


class ReasonForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False)
    is_other = forms.BooleanField(
        label="This is the catch-all “Other”",
        required=False,
        help_text="Watched: a warning shows when it is given for more than 15% of losses.",
    )
    outside_rep_control = forms.BooleanField(
        label="Outside the rep's control",
        required=False,
        help_text="Price, marketing, the customer: reasons a rep cannot change alone.",
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Merge into",
        queryset=LossReason.objects.all(),
        empty_label="Choose a reason",
        help_text="Past losses, reviews, debriefs and lessons that name this reason will "
        "name the one you choose; this one is retired.",
    )

    def __init__(self, *args: Any, reason: LossReason, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(
            self.fields["target"], LossReason.objects.filter(is_active=True).exclude(pk=reason.pk)
        )


class OutcomeTypeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100, required=False)


class OutcomeTypeEditForm(OutcomeTypeForm):
    is_active = forms.BooleanField(
        label="Offered for new losses",
        required=False,
        help_text="Untick to retire it: past losses keep it.",
    )
