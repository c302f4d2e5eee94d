"""The audit trail's filters, for the page and its CSV."""

from __future__ import annotations

from typing import Any

from django import forms

from debrief.audit.models import AuditAction
from debrief.audit.queries import AuditFilters, audited_models
from debrief.org.models import User
from debrief.web.widgets import DateInput


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label="Record type", required=False)
    action = forms.ChoiceField(
        label="Change", required=False, choices=[("", "Any change"), *AuditAction.choices]
    )
    actor = forms.ModelChoiceField(
        label="Who", required=False, queryset=User.objects.order_by("email"), empty_label="Anyone"
    )
    object_id = forms.CharField(label="Record id", required=False, max_length=40)
    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Any record"), *audited_models()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            model=data.get("model") or "",
            action=data.get("action") or "",
            actor=data["actor"].pk if data.get("actor") else None,
            object_id=(data.get("object_id") or "").strip(),
            start=data.get("start"),
            end=data.get("end"),
        )
