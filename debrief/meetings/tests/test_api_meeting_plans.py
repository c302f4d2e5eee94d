"""/api/v1/meeting-plans: read a meeting's one-page plan with what its deal's size requires and
what is missing; write it whole (PUT) or in parts (PATCH) with the version read."""

from __future__ import annotations

from decimal import Decimal

from debrief.meetings.models import MeetingPlan
from debrief.meetings.tests.api_helpers import fields, meeting

SHORT = ["purpose", "best_outcome", "fallback_objective"]


def test_a_small_deals_plan_needs_three_parts(api_client, rita, make_deal):
    held = meeting(make_deal(rita, amount=Decimal("5000")), rita, days_ago=-1)

    body = api_client.as_user(rita).get(f"/api/v1/meeting-plans/{held.pk}").json()

    assert body["required"] == SHORT
    assert body["missing"] == SHORT
    assert body["completeness"] == 0
    assert body["meeting"]["id"] == held.pk


def test_writing_the_whole_plan_then_a_part(api_client, rita, make_deal):
    # given
    held = meeting(make_deal(rita, amount=Decimal("5000")), rita, days_ago=-1)
    api = api_client.as_user(rita)

    # when
    put = api.put(
        f"/api/v1/meeting-plans/{held.pk}",
        {"purpose": "Agree the pilot scope", "best_outcome": "Signed pilot", "version": 1},
    )
    patch = api.patch(
        f"/api/v1/meeting-plans/{held.pk}",
        {"fallback_objective": "A date for the security review", "version": 2},
    )

    # then
    assert put.status_code == 200
    assert put.json()["missing"] == ["fallback_objective"]
    assert put.json()["completeness"] == 67
    assert patch.status_code == 200
    body = patch.json()
    assert (body["is_sufficient"], body["completeness"], body["missing"]) == (True, 100, [])
    assert body["purpose"] == "Agree the pilot scope"
    assert body["author"]["email"] == "rita@example.com"
    assert body["version"] == 3


def test_put_empties_what_it_leaves_out(api_client, rita, make_deal):
    held = meeting(make_deal(rita), rita, days_ago=-1)
    api = api_client.as_user(rita)
    api.patch(f"/api/v1/meeting-plans/{held.pk}", {"agenda": "1. Goals", "purpose": "Scope"})

    api.put(f"/api/v1/meeting-plans/{held.pk}", {"purpose": "Scope"})

    plan = MeetingPlan.objects.get()
    assert (plan.purpose, plan.agenda) == ("Scope", "")


def test_a_large_deals_plan_needs_every_part(api_client, rita, make_deal):
    held = meeting(make_deal(rita, amount=Decimal("500000")), rita, days_ago=-1)

    body = api_client.as_user(rita).get(f"/api/v1/meeting-plans/{held.pk}").json()

    assert len(body["required"]) == 17
    assert "contract_no_is_ok" in body["missing"]


def test_a_stale_version_changes_nothing(api_client, rita, make_deal):
    held = meeting(make_deal(rita), rita, days_ago=-1)
    api = api_client.as_user(rita)
    api.patch(f"/api/v1/meeting-plans/{held.pk}", {"purpose": "Scope", "version": 1})

    response = api.patch(f"/api/v1/meeting-plans/{held.pk}", {"purpose": "Other", "version": 1})

    assert response.status_code == 422
    assert fields(response) == ["version"]
    assert MeetingPlan.objects.get().purpose == "Scope"


def test_another_teams_plan_is_not_there(api_client, rita, oscar, ana, make_deal):
    held = meeting(make_deal(oscar), oscar, days_ago=-1)

    assert api_client.as_user(rita).get(f"/api/v1/meeting-plans/{held.pk}").status_code == 404
    refused = api_client.as_user(rita).patch(f"/api/v1/meeting-plans/{held.pk}", {"purpose": "x"})
    assert refused.status_code == 404
    assert (
        api_client.as_user(ana)
        .patch(f"/api/v1/meeting-plans/{held.pk}", {"purpose": "x"})
        .status_code
        == 403
    )
    assert MeetingPlan.objects.get().purpose == ""
