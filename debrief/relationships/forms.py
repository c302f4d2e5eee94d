"""The forms of the relationship pages. They check the shape of the input; the rules (a
touchpoint from today on, a re-engagement date ahead, a reason for a new rep) live in the
actions, whose errors `add_action_errors` puts beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from debrief.org.models import User
from debrief.relationships.models import RelationshipStatus, TouchpointKind
from debrief.relationships.queries import STATUS_FILTERS
from debrief.web.widgets import DateInput


class StatusForm(forms.Form):
    """Change the relationship's status, saying why. `version` is the one the page showed:
    if someone changed the relationship meanwhile, the action refuses."""

    status = forms.ChoiceField(label="New status")
    reason = forms.CharField(
        label="Why",
        max_length=300,
        help_text="It goes on the relationship's history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Nothing chosen until someone means it: a stray click must not reset the status.
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a status"),
            *((value, label) for value, label in RelationshipStatus.choices if value != current),
        ]


class TouchpointForm(forms.Form):
    """One step of the recovery plan."""

    kind = forms.ChoiceField(label="Kind", choices=TouchpointKind.choices)
    description = forms.CharField(
        label="What", max_length=300, help_text="E.g. “Send the benchmark report we promised”."
    )
    due_on = forms.DateField(label="Due on", widget=DateInput)
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class TouchpointDoneForm(forms.Form):
    outcome_note = forms.CharField(
        label="Outcome",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="How did it land?",
    )


class RepForm(forms.Form):
    """Assign a different rep: sometimes the fresh start the customer needs."""

    new_rep = forms.ModelChoiceField(
        label="New rep", queryset=User.objects.none(), empty_label="Choose a rep"
    )
    reason = forms.CharField(label="Why", max_length=300)
    move_open_deals = forms.BooleanField(
        label="Move the customer's open deals to the new rep too", required=False
    )

    def __init__(self, *args: Any, reps: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_rep"].queryset = reps  # type: ignore[attr-defined]


class ReEngagementForm(forms.Form):
    """When to come back: there is always next year."""

    re_engage_on = forms.DateField(label="Re-engage on", widget=DateInput)
    note = forms.CharField(label="Note", max_length=300, required=False)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=STATUS_FILTERS, required=False)
