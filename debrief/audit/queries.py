"""Reading the audit trail: one set of filters for the page, its CSV and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from debrief.audit.models import AuditEntry
from debrief.audit.recorder import AUDITED
from debrief.web.csv import safe_cell


@dataclass(frozen=True)
class AuditFilters:
    model: str = ""
    action: str = ""
    actor: int | None = None
    object_id: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    def apply(self, qs: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if self.model:
            qs = qs.filter(model=self.model)
        if self.action:
            qs = qs.filter(action=self.action)
        if self.actor is not None:
            qs = qs.filter(actor_id=self.actor)
        if self.object_id:
            qs = qs.filter(object_id=self.object_id)
        if self.start:
            qs = qs.filter(at__date__gte=self.start)
        if self.end:
            qs = qs.filter(at__date__lte=self.end)
        return qs


def audited_models() -> list[tuple[str, str]]:
    """(label, what a person calls it) for the filter."""
    from django.apps import apps

    return [
        (label, str(apps.get_model(label)._meta.verbose_name).capitalize()) for label in AUDITED
    ]


CSV_HEADER = [
    "at",
    "actor",
    "action",
    "record type",
    "record id",
    "record",
    "field",
    "before",
    "after",
]


def csv_rows(qs: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    """One row per changed field, so a spreadsheet can filter on it."""
    for entry in qs.iterator(chunk_size=2000):
        for field in entry.changed_fields or [""]:
            yield [
                entry.at.isoformat(),
                safe_cell(entry.actor_label),
                entry.action,
                entry.model,
                entry.object_id,
                safe_cell(entry.object_repr),
                field,
                safe_cell(entry.before.get(field)),
                safe_cell(entry.after.get(field)),
            ]
