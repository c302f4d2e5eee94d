"""The debrief's calendar invite downloads as an .ics that calendar software reads."""

from __future__ import annotations

from icalendar import Calendar

from debrief.losses.tests.page_helpers import lose


def test_the_invite_downloads_and_parses(client, rita, make_deal):
    # given
    debrief = lose(make_deal(rita, name="Harbour rollout"), rita).debrief
    client.force_login(rita)

    # when
    response = client.get(f"/debriefs/{debrief.pk}/invite.ics")

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert "Harbour rollout" in str(event["SUMMARY"])
    assert "We are not going to try to change your mind" in str(event["DESCRIPTION"])
    assert "rita@example.com" in str(event["ORGANIZER"])
    assert event.decoded("DTSTART") == debrief.proposed_for


def test_the_invite_is_not_found_by_the_other_team(client, rita, oscar, make_deal):
    # given
    debrief = lose(make_deal(rita), rita).debrief

    # when
    client.force_login(oscar)
    response = client.get(f"/debriefs/{debrief.pk}/invite.ics")

    # then
    assert response.status_code == 404
