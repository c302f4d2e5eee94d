"""A rep plans a meeting from the deal page: when (in their own time zone), how, who from
our side and theirs; the deal page lists it; a stale edit is refused, clearly."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from debrief.meetings.models import Meeting
from debrief.meetings.tests.page_helpers import field_error, meeting, section, text
from debrief.org import actions as org_actions
from debrief.pipeline import actions as pipeline_actions


def _form(**overrides):
    values = {
        "title": "Scope workshop",
        "starts_at": "2031-03-04T10:30",
        "duration_minutes": "60",
        "mode": "on_site",
        "location": "Their office, 3rd floor",
    }
    return values | overrides


def test_a_rep_plans_a_meeting_from_the_deal(client, rita, nico, make_deal):
    # given Rita works in Paris time, on a deal with a contact at the customer
    org_actions.update_user(rita, None, time_zone="Europe/Paris")
    deal = make_deal(rita)
    cleo = pipeline_actions.create_contact(deal.customer, None, name="Cleo Chen")
    client.force_login(rita)
    deal_page = client.get(f"/deals/{deal.pk}/")
    assert f'href="/deals/{deal.pk}/meetings/new/"' in deal_page.content.decode()

    # when
    response = client.post(
        f"/deals/{deal.pk}/meetings/new/",
        _form(our_attendees=[rita.pk, nico.pk], customer_contacts=[cleo.pk]),
    )

    # then the meeting is saved, at 10:30 in Paris, and its plan is next
    created = Meeting.objects.get(deal=deal)
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{created.pk}/plan/"
    paris = created.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (paris.date(), paris.time()) == (dt.date(2031, 3, 4), dt.time(10, 30))
    assert (created.mode, created.duration_minutes) == ("on_site", 60)
    assert set(created.our_attendees.all()) == {rita, nico}
    assert list(created.customer_contacts.all()) == [cleo]
    assert created.plan.version == 1
    # and the deal page lists it among the upcoming meetings, with its plan's completeness
    upcoming = section(client.get(f"/deals/{deal.pk}/"), "meetings-upcoming")
    assert "Scope workshop" in upcoming
    assert "Plan 0%" in upcoming


def test_only_the_deals_customer_contacts_can_be_invited(client, rita, make_deal, make_customer):
    # given a contact of another customer
    deal = make_deal(rita)
    stranger = pipeline_actions.create_contact(make_customer(), None, name="Xavier")
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/meetings/new/", _form(customer_contacts=[stranger.pk])
    )

    # then
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response, "customer_contacts")
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_title_and_a_time(client, rita, make_deal):
    deal = make_deal(rita)
    client.force_login(rita)

    response = client.post(f"/deals/{deal.pk}/meetings/new/", _form(title="", starts_at=""))

    assert response.status_code == 400
    assert field_error(response, "title")
    assert field_error(response, "starts_at")
    assert not Meeting.objects.exists()


def test_without_attendees_the_rep_attends(client, rita, make_deal):
    deal = make_deal(rita)
    client.force_login(rita)

    client.post(f"/deals/{deal.pk}/meetings/new/", _form())

    assert list(Meeting.objects.get().our_attendees.all()) == [rita]


def test_a_closed_deal_gets_no_new_meetings(client, rita, make_deal, stages):
    # given a won deal
    deal = make_deal(rita)
    pipeline_actions.move_deal_stage(deal, rita, stages["Closed Won"])
    client.force_login(rita)

    # when
    response = client.post(f"/deals/{deal.pk}/meetings/new/", _form())

    # then
    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_editing_a_meeting(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    planned = meeting(deal, rita, hours=48)
    client.force_login(rita)
    page = client.get(f"/meetings/{planned.pk}/edit/")
    assert 'name="version" value="1"' in page.content.decode()

    # when
    response = client.post(
        f"/meetings/{planned.pk}/edit/", _form(title="Scope workshop, moved", version="1")
    )

    # then
    planned.refresh_from_db()
    assert response.status_code == 302
    assert (planned.title, planned.version) == ("Scope workshop, moved", 2)
    assert "Scope workshop, moved" in text(client.get(f"/meetings/{planned.pk}/"))


def test_a_stale_edit_shows_a_conflict_and_saves_nothing(client, rita, maya, make_deal):
    # given Maya saved the meeting after Rita opened it at version 1
    deal = make_deal(rita)
    planned = meeting(deal, rita, hours=48)
    from debrief.meetings import actions

    actions.update_meeting(planned, maya, title="Maya's title")

    # when Rita saves what she opened
    client.force_login(rita)
    response = client.post(
        f"/meetings/{planned.pk}/edit/", _form(title="Rita's title", version="1")
    )

    # then
    planned.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else changed this meeting" in section(response, "conflict")
    assert planned.title == "Maya's title"
    # and saving again, having seen the conflict, is a deliberate choice that goes through
    assert 'name="version" value="2"' in response.content.decode()
