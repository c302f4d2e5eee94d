"""The forms of the meeting pages: scheduling a meeting, its one-page plan, its outcome, a bad
meeting and the maybe-or-no decision. They check the shape of the input and offer only the
choices that fit this deal; the rules live in `meetings.actions`, whose errors
`add_action_errors` puts beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from debrief.losses.actions import LossInput
from debrief.losses.forms import relationship_damaged_field
from debrief.losses.models import DebriefConsent, LossReason, OutcomeType
from debrief.meetings.actions import OutcomeInput
from debrief.meetings.models import (
    BALANCE_OF_VALUE,
    PLAN_PROMPTS,
    UPFRONT_CONTRACT,
    BadMeetingCause,
    BadMeetingConsequence,
    DecisionChoice,
    Meeting,
    MeetingMode,
    MeetingPlan,
    OutcomeResult,
    PlanComparison,
    Valuable,
)
from debrief.org.models import Role, User
from debrief.pipeline.models import Contact, Deal

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        title = getattr(obj, "title", "")
        return f"{obj} — {title}" if title else str(obj)


# --- scheduling ---------------------------------------------------------------------------


def deal_team_users(deal: Deal, keep: QuerySet[User] | None = None) -> QuerySet[User]:
    """Who may attend for us: the deal's team (members and managers) and its owner, plus
    anyone already attending so that saving keeps them."""
    people = Q(teams=deal.team_id) | Q(managed_teams=deal.team_id) | Q(pk=deal.owner_id)
    current = Q(pk__in=keep.values("pk")) if keep is not None else Q()
    active = Q(is_active=True) & ~Q(role=Role.ANALYST)
    return User.objects.filter((active & people) | current).distinct().order_by("full_name")


class MeetingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    starts_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text="In your time zone.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=600, initial=45
    )
    mode = forms.ChoiceField(
        label="How",
        choices=MeetingMode.choices,
        initial=MeetingMode.VIDEO,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label="Where (address or video link)", max_length=200, required=False
    )
    our_attendees = PersonChoices(
        label="Our attendees",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the deal's team. Left empty, it is you.",
    )
    customer_contacts = PersonChoices(
        label="The customer's contacts",
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, deal: Deal, meeting: Meeting | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        keep = meeting.our_attendees.all() if meeting is not None else None
        self.fields["our_attendees"].queryset = deal_team_users(deal, keep)  # type: ignore[attr-defined]
        self.fields["customer_contacts"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            customer_id=deal.customer_id
        )


class MeetingEditForm(MeetingForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- the one-page plan --------------------------------------------------------------------


PLAN_LABELS: dict[str, str] = {
    **dict(PLAN_PROMPTS),
    **dict(UPFRONT_CONTRACT),
    "contract_no_is_ok": "'No' is an acceptable answer",
    **dict(BALANCE_OF_VALUE),
}


REQUIRED_HELP = "Needed for a deal this size."


def _answer(label: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlanForm(forms.Form):
    """Every part of the plan is optional to save: a half-written plan is still worth keeping,
    and the page shows what the deal's size still asks for."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, required: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (*PLAN_PROMPTS, *UPFRONT_CONTRACT):
            self.fields[name] = _answer(label)
        self.fields["contract_no_is_ok"] = forms.BooleanField(
            label=str(MeetingPlan._meta.get_field("contract_no_is_ok").verbose_name),
            required=False,
            help_text="Agreed at the start: a clear no is a good outcome too.",
        )
        for name, label in BALANCE_OF_VALUE:
            self.fields[name] = _answer(label)
        for name in required:
            field = self.fields[name]
            field.help_text = f"{field.help_text} {REQUIRED_HELP}".strip()
        self.required_parts = required

    def sections(
        self, theirs: dict[str, str] | None = None
    ) -> list[tuple[str, str, list[tuple[forms.BoundField, str | None]]]]:
        """(id, title, [(field, the other editor's saved text after a conflict)]) in page
        order."""
        saved = theirs or {}
        groups = (
            ("plan-prompts", "The plan", [n for n, _ in PLAN_PROMPTS]),
            (
                "plan-contract",
                "Upfront contract",
                [*(n for n, _ in UPFRONT_CONTRACT), "contract_no_is_ok"],
            ),
            ("plan-value", "Balance of value", [n for n, _ in BALANCE_OF_VALUE]),
        )
        return [
            (key, title, [(self[name], saved.get(name)) for name in names])
            for key, title, names in groups
        ]

    def answers(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def plan_initial(plan: MeetingPlan) -> dict[str, Any]:
    names = [n for n, _ in (*PLAN_PROMPTS, *UPFRONT_CONTRACT, *BALANCE_OF_VALUE)]
    return {
        "version": plan.version,
        "contract_no_is_ok": plan.contract_no_is_ok,
        **{n: getattr(plan, n) for n in names},
    }


# --- closing the deal as lost (qualifying out) --------------------------------------------


class LossFields(forms.Form):
    """The loss's outcome type and reasons, asked when a meeting qualifies the deal out."""

    outcome_type = forms.ModelChoiceField(
        label="How is it lost?",
        queryset=OutcomeType.objects.none(),
        required=False,  # only when qualifying out: checked in clean()
        empty_label="Choose the outcome",
    )
    reasons = forms.ModelMultipleChoiceField(
        label="Reasons",
        queryset=LossReason.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    primary_reason = forms.ModelChoiceField(
        label="Main reason",
        queryset=LossReason.objects.none(),
        required=False,
        empty_label="The only reason ticked",
        help_text="Needed when you tick more than one reason.",
    )
    debrief_consent = forms.ChoiceField(
        label="Did the customer agree to a debrief call later?",
        choices=DebriefConsent.choices,
        initial=DebriefConsent.NOT_ASKED,
        required=False,
    )
    relationship_damaged = relationship_damaged_field()

    # The value of the form's choice field that means "this closes the deal".
    closes_field = ""
    closes_value = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = LossReason.objects.filter(is_active=True)
        self.fields["outcome_type"].queryset = OutcomeType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["reasons"].queryset = active  # type: ignore[attr-defined]
        self.fields["primary_reason"].queryset = active  # type: ignore[attr-defined]

    def closes_deal(self) -> bool:
        return self.cleaned_data.get(self.closes_field) == self.closes_value

    def missing_loss_parts(self) -> dict[str, str]:
        """What closing the deal still lacks, named per field (the loss action's own words),
        so that the view can show them with the other errors at once."""
        if not self.closes_deal():
            return {}
        data = self.cleaned_data
        missing: dict[str, str] = {}
        if data.get("outcome_type") is None:
            missing["outcome_type"] = "Choose how the deal was lost."
        if not data.get("reasons"):
            missing["reasons"] = "Give at least one reason: it is the lesson the team keeps."
        return missing

    def loss_note(self) -> str:
        return str(self.cleaned_data.get("note") or "")

    def loss_input(self) -> LossInput | None:
        if not self.closes_deal():
            return None
        data = self.cleaned_data
        return LossInput(
            outcome_type=data.get("outcome_type"),
            reasons=list(data.get("reasons") or []),
            primary_reason=data.get("primary_reason"),
            note=self.loss_note(),
            debrief_consent=data.get("debrief_consent") or DebriefConsent.NOT_ASKED,
            relationship_damaged=data.get("relationship_damaged", True),
        )

    def loss_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in (
                "outcome_type",
                "reasons",
                "primary_reason",
                "debrief_consent",
                "relationship_damaged",
            )
        ]


# --- the outcome --------------------------------------------------------------------------


class OutcomeForm(LossFields):
    result = forms.ChoiceField(
        label="What did the meeting achieve?",
        choices=OutcomeResult.choices,
        required=False,  # the action names a missing choice beside it
        widget=forms.RadioSelect,
    )
    commitment_what = forms.CharField(label="Commitment: what", max_length=300, required=False)
    commitment_who = forms.CharField(label="Who committed", max_length=150, required=False)
    commitment_by = forms.DateField(label="By when", required=False, widget=_date())
    discovery = forms.CharField(
        label="Or a discovery that improves our chance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    qualified_out_why = forms.CharField(
        label="Why is it qualified out?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For no outcome, an honest note of what happened: a great meeting with "
        "nothing to show is not an outcome.",
    )
    compared_with_plan = forms.ChoiceField(
        label="Compared with the plan",
        choices=PlanComparison.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    valuable_for_customer = forms.ChoiceField(
        label="Was it valuable for the customer? (your view)",
        choices=Valuable.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    valuable_for_customer_said = forms.ChoiceField(
        label="Did the customer say so?",
        choices=[("", "Not asked"), *Valuable.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    closes_field = "result"
    closes_value = OutcomeResult.QUALIFIED_OUT

    def loss_note(self) -> str:
        return str(self.cleaned_data.get("qualified_out_why") or "")

    def outcome_input(self, loss: LossInput | None) -> OutcomeInput:
        data = self.cleaned_data
        return OutcomeInput(
            result=data["result"],
            compared_with_plan=data["compared_with_plan"],
            valuable_for_customer=data["valuable_for_customer"],
            commitment_what=data["commitment_what"],
            commitment_who=data["commitment_who"],
            commitment_by=data["commitment_by"],
            discovery=data["discovery"],
            qualified_out_why=data["qualified_out_why"],
            note=data["note"],
            valuable_for_customer_said=data["valuable_for_customer_said"],
            loss=loss,
        )


# --- bad meetings -------------------------------------------------------------------------


class BadMeetingForm(forms.Form):
    causes = forms.MultipleChoiceField(
        label="What caused it?",
        choices=BadMeetingCause.choices,
        required=False,  # the action says why a cause is needed, beside this field
        widget=forms.CheckboxSelectMultiple,
    )
    other_cause = forms.CharField(label="The other cause", max_length=200, required=False)
    consequences = forms.MultipleChoiceField(
        label="What did it cost?",
        choices=BadMeetingConsequence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="What happened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Marketing and product causes reach their owners with this note.",
    )


# --- still a maybe, or a prolonged no? ----------------------------------------------------


class DecisionForm(LossFields):
    decision = forms.ChoiceField(
        label="Still a maybe, or a prolonged no?",
        choices=[
            (DecisionChoice.STAY_IN, DecisionChoice.STAY_IN.label),
            (DecisionChoice.QUALIFY_OUT, DecisionChoice.QUALIFY_OUT.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    next_step = forms.CharField(label="Next step", max_length=300, required=False)
    next_step_date = forms.DateField(label="Next step by", required=False, widget=_date())
    note = forms.CharField(label="Why", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    closes_field = "decision"
    closes_value = DecisionChoice.QUALIFY_OUT
