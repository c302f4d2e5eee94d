"""The insights pickers: what to group by, and which period (two dates, or a preset that
fills them in)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.cache import cache
from django.db import connection

PRESETS = {
    "this-quarter": "This quarter",
    "last-quarter": "Last quarter",
    "this-year": "This year",
    "last-12-months": "Last 12 months",
}


def _month(index: int) -> dt.date:
    """The first day of a month counted from year 0 (index = year * 12 + month - 1)."""
    return dt.date(index // 12, index % 12 + 1, 1)


def preset_period(
    preset: str, today: dt.date, fiscal_start_month: int = 1
) -> tuple[dt.date, dt.date]:
    """The first and last day of a preset period. Quarters and years are the organisation's
    fiscal ones (they start in `fiscal_start_month`); "last 12 months" ends today."""
    now = today.year * 12 + today.month - 1
    into_year = (today.month - fiscal_start_month) % 12
    quarter = now - into_year % 3
    match preset:
        case "this-quarter":
            start, months = quarter, 3
        case "last-quarter":
            start, months = quarter - 3, 3
        case "this-year":
            start, months = now - into_year, 12
        case "last-12-months":
            try:
                year_ago = today.replace(year=today.year - 1)
            except ValueError:  # 29 February
                year_ago = today.replace(year=today.year - 1, day=28)
            return year_ago + dt.timedelta(days=1), today
        case _:
            raise ValueError(f"Unknown period preset {preset!r}.")
    return _month(start), _month(start + months) - dt.timedelta(days=1)


class InsightForm(forms.Form):
    """`?by=&from=&to=` (and `preset=`, which wins over the dates): all optional."""

    def __init__(self, data: Any, *, dimensions: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["by"] = forms.ChoiceField(
            label="Group by", required=False, choices=[("", "Overall only"), *dimensions]
        )
        self.fields["from"] = forms.DateField(
            label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["preset"] = forms.ChoiceField(
            required=False, choices=[("", "—"), *PRESETS.items()]
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "The end of the period is before its start.")
        return cleaned


def attribute_headers() -> list[str]:
    """The imported column headers found in deals' attributes, for the "group by" picker: the
    ones already grouped by, and every key in the table. Reading every deal's keys is a full
    scan, so the answer is cached until a deal is added (or for ten minutes)."""
    from debrief.insights.models import AttributeDimension
    from debrief.pipeline.models import Deal

    registered = set(AttributeDimension.objects.values_list("header", flat=True))
    newest = Deal.objects.order_by("-pk").values_list("pk", flat=True).first()
    key = f"insights:attribute-headers:{newest}"
    found: list[str] | None = cache.get(key)
    if found is None:
        found = sorted(_attribute_keys())[:MAX_HEADERS]
        cache.set(key, found, 600)
    return sorted(registered | set(found), key=str.casefold)


MAX_HEADERS = 300


def _attribute_keys() -> set[str]:
    from debrief.pipeline.models import Deal

    table = connection.ops.quote_name(Deal._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"SELECT DISTINCT jsonb_object_keys(attributes) FROM {table} WHERE attributes <> '{{}}'::jsonb"
    elif connection.vendor == "sqlite":
        sql = (
            f"SELECT DISTINCT j.key FROM {table}, json_each({table}.attributes) AS j "
            f"WHERE {table}.attributes <> '{{}}'"
        )
    else:  # any other database: read the keys in Python
        keys: set[str] = set()
        for attributes in (
            Deal.objects.exclude(attributes={}).values_list("attributes", flat=True).iterator()
        ):
            keys.update(attributes or {})
        return keys
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}
