"""Scheduling a debrief through the API: moving the proposed call, the customer contact,
the version that catches a clash; and proposing a debrief later for a lost deal whose
customer first said no — never for a deal that is not lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from debrief.losses.models import Debrief, DebriefConsent
from debrief.losses.tests.api_helpers import errors, lose
from debrief.pipeline import actions as pipeline_actions


@pytest.fixture
def debrief(cast, make_deal):
    return lose(make_deal(cast.rita), cast.rita, days_ago=2).debrief


def in_days(days: int, hour: int = 14) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC).isoformat()


def test_the_leader_schedules_the_call(api_client, cast, debrief):
    # given
    contact = pipeline_actions.create_contact(
        debrief.loss.deal.customer, None, name="Cleo Carter", email="cleo@example.com"
    )

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/debriefs/{debrief.pk}",
        {
            "scheduled_for": in_days(3),
            "duration_minutes": 45,
            "customer_contact": contact.pk,
            "version": debrief.version,
        },
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "scheduled"
    assert body["when"] == body["scheduled_for"]
    assert dt.datetime.fromisoformat(body["scheduled_for"]) == dt.datetime.fromisoformat(in_days(3))
    assert body["duration_minutes"] == 45
    assert body["customer_contact"]["name"] == "Cleo Carter"
    assert body["version"] == debrief.version + 1


def test_a_time_without_an_offset_is_utc(api_client, cast, debrief):
    # when
    naive = in_days(4).removesuffix("+00:00")
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/debriefs/{debrief.pk}", {"scheduled_for": naive}
    )

    # then
    assert response.status_code == 200, response.content
    debrief.refresh_from_db()
    assert debrief.scheduled_for == dt.datetime.fromisoformat(in_days(4))


def test_bad_schedules_are_named_and_nothing_changes(api_client, cast, debrief, make_customer):
    # given
    client = api_client.as_user(cast.rita)
    url = f"/api/v1/debriefs/{debrief.pk}"
    stranger = pipeline_actions.create_contact(
        make_customer(team=cast.rita.teams.get()), None, name="Someone Else"
    )

    # when
    on_loss_day = client.patch(url, {"scheduled_for": in_days(-2)})
    other_customer = client.patch(
        url, {"scheduled_for": in_days(3), "customer_contact": stranger.pk}
    )
    stale = client.patch(url, {"scheduled_for": in_days(3), "version": debrief.version - 1})
    too_short = client.patch(url, {"duration_minutes": 1})

    # then
    assert "Not on the day the loss was learnt" in errors(on_loss_day)["scheduled_for"]
    assert "another customer" in errors(other_customer)["customer_contact"]
    assert "Someone else changed" in errors(stale)["version"]
    assert "duration_minutes" in errors(too_short)
    fresh = Debrief.objects.get(pk=debrief.pk)
    assert (fresh.status, fresh.scheduled_for, fresh.version) == ("proposed", None, debrief.version)


def test_only_the_debriefs_people_move_it(api_client, cast, debrief):
    # when
    codes = {
        user.email.split("@")[0]: api_client.as_user(user)
        .patch(f"/api/v1/debriefs/{debrief.pk}", {"scheduled_for": in_days(3)})
        .status_code
        for user in (cast.maya, cast.ana, cast.oscar, cast.adam)
    }

    # then
    assert codes == {"maya": 403, "ana": 403, "oscar": 404, "adam": 200}


def test_a_debrief_is_proposed_later_when_the_customer_changes_their_mind(
    api_client, cast, make_deal
):
    # given
    deal = make_deal(cast.rita)
    lose(deal, cast.rita, consent=DebriefConsent.NO)
    client = api_client.as_user(cast.rita)

    # when
    created = client.post("/api/v1/debriefs", {"deal": deal.pk})
    again = client.post("/api/v1/debriefs", {"deal": deal.pk})

    # then
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "proposed"
    assert created.json()["leader"]["email"] == "rita@example.com"
    assert "already has a debrief" in errors(again)["deal"]
    assert Debrief.objects.count() == 1


def test_no_debrief_for_a_deal_that_is_not_lost(api_client, cast, make_deal, stages):
    # given
    open_deal = make_deal(cast.rita)
    reopened = make_deal(cast.rita)
    loss = lose(reopened, cast.rita, consent=DebriefConsent.NO)
    api_client.as_user(cast.rita).post(
        f"/api/v1/losses/{loss.pk}/reopen", {"stage": stages["Proposal"].pk}
    )
    client = api_client.as_user(cast.rita)

    # when
    for_open = client.post("/api/v1/debriefs", {"deal": open_deal.pk})
    for_reopened = client.post("/api/v1/debriefs", {"deal": reopened.pk})
    for_other_team = api_client.as_user(cast.oscar).post("/api/v1/debriefs", {"deal": open_deal.pk})

    # then
    assert "not lost" in errors(for_open)["deal"]
    assert "not lost" in errors(for_reopened)["deal"]
    assert errors(for_other_team, 404) == {
        "deal": f"No deal with id {open_deal.pk} that you can see."
    }
    assert not Debrief.objects.exists()
