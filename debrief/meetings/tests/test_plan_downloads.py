"""The plan downloads as a one-page A4 PDF and as a calendar invite carrying the agenda, for
whoever may see the meeting."""

from __future__ import annotations

import io
from typing import Any

from icalendar import Calendar
from pypdf import PdfReader

from debrief.meetings import actions
from debrief.meetings.models import PLAN_PROMPTS
from debrief.meetings.tests.page_helpers import meeting

A4_POINTS = (595, 842)


def test_the_plan_pdf_is_one_a4_page(client, rita, make_deal):
    # given a long plan
    planned = meeting(make_deal(rita), rita, hours=30, title="Scope workshop")
    long = " ".join(["Something worth saying about the customer's goals."] * 40)
    answers: dict[str, Any] = {field: long for field, _ in PLAN_PROMPTS}
    actions.write_plan(planned, rita, **answers)
    client.force_login(rita)

    # when
    response = client.get(f"/meetings/{planned.pk}/plan.pdf")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="meeting-plan-{planned.pk}.pdf"'
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1
    size = (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height)))
    assert size == A4_POINTS
    assert "Scope workshop" in pages[0].extract_text()


def test_the_invite_carries_the_agenda(client, rita, ana, make_deal):
    # given
    planned = meeting(make_deal(rita), rita, hours=30, title="Scope workshop")
    actions.write_plan(
        planned, rita, purpose="Agree the pilot scope", agenda="1. Their goals\n2. Scope"
    )
    client.force_login(ana)  # anyone who may see the meeting may download it

    # when
    response = client.get(f"/meetings/{planned.pk}/invite.ics")

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert "Scope workshop" in str(event["SUMMARY"])
    assert "1. Their goals\n2. Scope" in str(event["DESCRIPTION"])
    assert "Agree the pilot scope" in str(event["DESCRIPTION"])
    planned.refresh_from_db()
    assert event.decoded("DTSTART") == planned.starts_at.replace(microsecond=0)
