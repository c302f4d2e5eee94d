"""/api/v1/meetings: schedule a meeting on an open deal, read it with its plan's state, list
them by deal, upcoming or past, or needing their outcome, and move it with the version read.
The same rules as the pages: another team's meetings are not there; analysts only read."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.meetings import actions
from debrief.meetings.models import Meeting, OutcomeResult
from debrief.meetings.tests.api_helpers import day, fields, meeting
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import DealEvent


def test_scheduling_a_meeting(api_client, rita, make_deal):
    # given
    deal = make_deal(rita)
    cleo = pipeline_actions.create_contact(deal.customer, rita, name="Cleo Chen", email="c@x.test")
    starts = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)

    # when
    response = api_client.as_user(rita).post(
        "/api/v1/meetings",
        {
            "deal": deal.pk,
            "title": "Scope workshop",
            "starts_at": starts.isoformat(),
            "duration_minutes": 60,
            "mode": "on_site",
            "location": "Their office",
            "customer_contacts": [cleo.pk],
        },
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Scope workshop"
    assert body["deal"]["id"] == deal.pk
    assert [a["email"] for a in body["our_attendees"]] == ["rita@example.com"]
    assert [c["name"] for c in body["customer_contacts"]] == ["Cleo Chen"]
    assert body["plan"] == {
        "completeness": 0,
        "is_sufficient": False,
        "missing": ["purpose", "best_outcome", "fallback_objective"],
    }
    assert (body["has_happened"], body["needs_outcome"], body["outcome"]) == (False, False, None)
    assert DealEvent.objects.filter(deal=deal, kind="meeting_scheduled").exists()


def test_a_time_without_offset_is_utc(api_client, rita, make_deal):
    deal = make_deal(rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meetings", {"deal": deal.pk, "title": "Call", "starts_at": "2031-05-06T09:30:00"}
    )

    assert response.json()["starts_at"].startswith("2031-05-06T09:30:00")
    assert Meeting.objects.get().starts_at == dt.datetime(2031, 5, 6, 9, 30, tzinfo=dt.UTC)


def test_listing_by_deal_time_and_outcome(api_client, rita, make_deal):
    # given a past meeting with its outcome, a past one without, and an upcoming one
    deal, other = make_deal(rita), make_deal(rita)
    done = meeting(deal, rita, days_ago=3, title="Done")
    actions.record_outcome(
        done,
        rita,
        actions.OutcomeInput(
            result=OutcomeResult.NO_OUTCOME,
            compared_with_plan="neither",
            valuable_for_customer="no",
            note="Pleasant, nothing decided",
        ),
    )
    meeting(deal, rita, days_ago=1, title="Waiting")
    meeting(deal, rita, days_ago=-2, title="Next")
    meeting(other, rita, days_ago=-1, title="Elsewhere")
    api = api_client.as_user(rita)

    def titles(**params):
        return [m["title"] for m in api.get("/api/v1/meetings", **params).json()["items"]]

    # then
    assert titles(deal=deal.pk) == ["Done", "Waiting", "Next"]
    assert titles(when="upcoming") == ["Elsewhere", "Next"]
    assert titles(when="past") == ["Waiting", "Done"]
    assert titles(needs_outcome="true") == ["Waiting"]
    assert titles(needs_outcome="false", deal=deal.pk) == ["Done", "Next"]
    page = api.get("/api/v1/meetings", limit=2, offset=1).json()
    assert page["count"] == 4 and len(page["items"]) == 2


def test_an_unknown_when_is_named(api_client, rita):
    response = api_client.as_user(rita).get("/api/v1/meetings", when="tomorrow")

    assert response.status_code == 422
    assert fields(response) == ["when"]


def test_moving_a_meeting_with_the_version_read(api_client, rita, maya, make_deal):
    held = meeting(make_deal(rita), rita, days_ago=-1)
    seen = held.version
    api_client.as_user(maya).patch(
        f"/api/v1/meetings/{held.pk}", {"location": "Zoom", "version": seen}
    )

    stale = api_client.as_user(rita).patch(
        f"/api/v1/meetings/{held.pk}", {"starts_at": "2031-01-01T10:00:00Z", "version": seen}
    )
    fresh = api_client.as_user(rita).patch(
        f"/api/v1/meetings/{held.pk}", {"starts_at": "2031-01-01T10:00:00Z", "version": seen + 1}
    )

    assert stale.status_code == 422 and fields(stale) == ["version"]
    assert fresh.status_code == 200
    assert fresh.json()["location"] == "Zoom"
    assert fresh.json()["starts_at"].startswith("2031-01-01T10:00:00")


def test_contacts_must_work_for_the_deals_customer(api_client, rita, make_deal, make_customer):
    deal = make_deal(rita)
    stranger = pipeline_actions.create_contact(make_customer(owner=rita), rita, name="Sol")

    response = api_client.as_user(rita).post(
        "/api/v1/meetings",
        {
            "deal": deal.pk,
            "title": "Call",
            "starts_at": "2031-01-01T10:00:00Z",
            "customer_contacts": [stranger.pk],
        },
    )

    assert response.status_code == 422
    assert fields(response) == ["customer_contacts"]
    assert not Meeting.objects.exists()


def test_another_teams_meetings_are_not_there(api_client, rita, oscar, make_deal):
    theirs = meeting(make_deal(oscar), oscar)
    api = api_client.as_user(rita)

    assert api.get(f"/api/v1/meetings/{theirs.pk}").status_code == 404
    assert api.patch(f"/api/v1/meetings/{theirs.pk}", {"title": "Mine"}).status_code == 404
    assert api.get("/api/v1/meetings").json()["count"] == 0
    scheduled = api.post(
        "/api/v1/meetings",
        {"deal": theirs.deal_id, "title": "Call", "starts_at": "2031-01-01T10:00:00Z"},
    )
    assert scheduled.status_code == 404
    assert fields(scheduled) == ["deal"]


def test_an_attendee_sees_the_meeting_but_may_not_change_it(api_client, rita, nico, make_deal):
    held = meeting(make_deal(rita), rita, our_attendees=[rita, nico])
    api = api_client.as_user(nico)

    assert api.get(f"/api/v1/meetings/{held.pk}").status_code == 200
    assert api.patch(f"/api/v1/meetings/{held.pk}", {"title": "Renamed"}).status_code == 403


def test_the_analyst_reads_and_changes_nothing(api_client, rita, ana, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)
    api = api_client.as_user(ana)

    assert api.get(f"/api/v1/meetings/{held.pk}").status_code == 200
    created = api.post(
        "/api/v1/meetings", {"deal": deal.pk, "title": "Call", "starts_at": day(2) + "T10:00:00Z"}
    )
    assert created.status_code == 403
    assert Meeting.objects.count() == 1
