"""/api/v1/meetings/{id}/plan.pdf and /invite.ics: the plan as exactly one A4 page, and as
a calendar invite carrying the agenda; another team's are not there."""

from __future__ import annotations

import io

from icalendar import Calendar
from pypdf import PdfReader

from debrief.meetings.tests.api_helpers import meeting


def test_the_plan_downloads_as_one_a4_page_and_as_an_invite(api_client, rita, make_deal):
    # given
    held = meeting(make_deal(rita), rita, days_ago=-1, title="Scope workshop")
    api = api_client.as_user(rita)
    api.patch(
        f"/api/v1/meeting-plans/{held.pk}",
        {"purpose": "Agree the pilot scope", "agenda": "1. Goals\n2. Scope"},
    )

    # when
    pdf = api.get(f"/api/v1/meetings/{held.pk}/plan.pdf")
    ics = api.get(f"/api/v1/meetings/{held.pk}/invite.ics")

    # then
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (
        595,
        842,
    )
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert "Scope workshop" in str(event["SUMMARY"])
    assert "1. Goals" in str(event["DESCRIPTION"])


def test_another_teams_downloads_are_not_there(api_client, rita, oscar, make_deal):
    held = meeting(make_deal(oscar), oscar, days_ago=-1)
    api = api_client.as_user(rita)

    assert api.get(f"/api/v1/meetings/{held.pk}/plan.pdf").status_code == 404
    assert api.get(f"/api/v1/meetings/{held.pk}/invite.ics").status_code == 404
