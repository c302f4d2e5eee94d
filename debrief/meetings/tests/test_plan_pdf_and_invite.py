"""The plan prints on exactly one A4 page, however long it is, and travels as an invite."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from debrief.meetings import actions, queries
from debrief.meetings.models import PLAN_PROMPTS

A4_POINTS = (595, 842)


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points, read back from the PDF itself."""
    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


@pytest.fixture
def meeting(rita, make_deal):
    deal = make_deal(rita)
    return actions.schedule_meeting(
        deal, rita, title="Scope workshop", starts_at=timezone.now() + dt.timedelta(days=1)
    )


@pytest.mark.parametrize("words", [5, 400])
def test_the_plan_is_one_a4_page(rita, meeting, words):
    # given a plan whose every answer has `words` words
    text = " ".join(["value"] * words)
    answers: dict[str, Any] = {field: text for field, _ in PLAN_PROMPTS}
    actions.write_plan(meeting, rita, **answers)

    # when
    meeting.refresh_from_db()
    pdf = queries.plan_pdf(meeting)

    # then
    pages = _pages(pdf)
    assert len(pages) == 1
    width, height = pages[0]
    assert (round(width), round(height)) == A4_POINTS


def test_the_invite_carries_the_agenda(rita, meeting):
    actions.write_plan(meeting, rita, purpose="Agree the pilot scope", agenda="1. Goals\n2. Scope")
    meeting.refresh_from_db()

    calendar = Calendar.from_ical(queries.plan_ics(meeting))

    event = next(iter(calendar.walk("VEVENT")))
    assert "Scope workshop" in str(event["SUMMARY"])
    assert "1. Goals" in str(event["DESCRIPTION"])
    assert "Agree the pilot scope" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
