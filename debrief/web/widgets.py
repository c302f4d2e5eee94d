"""Form widgets shared by every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms

# A browser's date and datetime-local inputs show only ISO values; rendered in the locale's
# format ("13/12/2026") they come back empty, and saving the form wipes the date.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)
