"""Changing a relationship through the API: its status (with a reason and the version read),
the recovery plan's touchpoints (added, marked done), a different rep, the re-engagement
date and its .ics reminder. The same actions and rules as the page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar

from debrief.pipeline.models import Deal, FollowUp
from debrief.relationships import actions
from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint
from debrief.relationships.tests.helpers import damage


def _in(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_changing_the_status(api_client, rita, make_customer):
    customer = make_customer(owner=rita)
    relationship = damage(customer, rita, days_ago=45)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/status",
        {"status": "restored", "reason": "Signed the renewal", "version": relationship.version},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "restored"
    assert body["version"] == relationship.version + 1
    assert body["time_to_mend"][0]["days"] == 45
    assert body["events"][0]["reason"] == "Signed the renewal"
    assert body["events"][0]["actor"]["email"] == "rita@example.com"


def test_a_stale_version_changes_nothing(api_client, rita, nico, north, make_customer):
    customer = make_customer(owner=rita, team=north)
    seen = damage(customer, rita, days_ago=5).version
    api_client.as_user(nico).post(
        f"/api/v1/relationships/{customer.pk}/status",
        {"status": "broken", "reason": "No answer", "version": seen},
    )

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/status",
        {"status": "restored", "reason": "Fine", "version": seen},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "version"
    assert Relationship.objects.get().status == "broken"


def test_a_status_change_needs_a_reason_and_a_real_change(api_client, rita, make_customer):
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    api = api_client.as_user(rita)

    no_reason = api.post(
        f"/api/v1/relationships/{customer.pk}/status", {"status": "broken", "reason": " "}
    )
    same = api.post(
        f"/api/v1/relationships/{customer.pk}/status", {"status": "strained", "reason": "Still"}
    )
    unknown = api.post(
        f"/api/v1/relationships/{customer.pk}/status", {"status": "furious", "reason": "Hm"}
    )

    assert [r.json()["errors"][0]["field"] for r in (no_reason, same, unknown)] == [
        "reason",
        "status",
        "status",
    ]
    assert RelationshipEvent.objects.count() == 1


def test_working_the_recovery_plan(api_client, rita, make_customer):
    # given
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    api = api_client.as_user(rita)

    # when a touchpoint is added, then marked done
    added = api.post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "call", "description": "Call to listen", "due_on": _in(2)},
    )
    touchpoint_id = added.json()["id"]
    done = api.patch(
        f"/api/v1/relationships/{customer.pk}/touchpoints/{touchpoint_id}",
        {"done": True, "outcome_note": "They want a new demo"},
    )

    # then
    assert added.status_code == 201
    assert added.json()["owner"]["email"] == "rita@example.com"
    assert added.json()["order"] == 1
    assert done.status_code == 200
    assert done.json()["done_at"] is not None
    assert done.json()["outcome_note"] == "They want a new demo"
    detail = api.get(f"/api/v1/relationships/{customer.pk}").json()
    assert detail["status"] == "recovering"
    assert detail["events"][0]["kind"] == "touchpoint_done"


def test_a_manager_gives_a_touchpoint_to_a_rep_of_the_team(
    api_client, rita, maya, north, make_customer
):
    customer = make_customer(owner=rita, team=north)

    response = api_client.as_user(maya).post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "email", "description": "Apology", "due_on": _in(0), "owner": rita.pk},
    )

    assert response.status_code == 201
    assert Touchpoint.objects.get().owner == rita


def test_assigning_a_different_rep_and_moving_the_open_deals(
    api_client, rita, nico, maya, north, make_customer, make_deal
):
    customer = make_customer(owner=rita, team=north)
    deal = make_deal(rita, customer=customer)

    response = api_client.as_user(maya).post(
        f"/api/v1/relationships/{customer.pk}/rep",
        {"new_rep": nico.pk, "reason": "Fresh start", "move_open_deals": True},
    )

    assert response.status_code == 200
    assert response.json()["account_owner"]["email"] == "nico@example.com"
    assert response.json()["events"][0]["data"]["moved_deal_ids"] == [deal.pk]
    assert Deal.objects.get(pk=deal.pk).owner == nico


def test_a_rep_cannot_hand_the_account_to_someone_else(api_client, rita, nico, make_customer):
    customer = make_customer(owner=rita)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/rep", {"new_rep": nico.pk, "reason": "Busy"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_rep"
    customer.refresh_from_db()
    assert customer.owner == rita


def test_setting_the_re_engagement_date_and_downloading_its_reminder(
    api_client, rita, make_customer
):
    # given
    customer = make_customer(name="Acme", owner=rita)
    api = api_client.as_user(rita)

    # when
    response = api.post(
        f"/api/v1/relationships/{customer.pk}/re-engagement",
        {"on": _in(60), "note": "After their reorganisation"},
    )
    ics = api.get(f"/api/v1/relationships/{customer.pk}/re-engagement.ics")

    # then
    assert response.status_code == 201
    assert response.json()["re_engagement"]["on"] == _in(60)
    assert FollowUp.objects.get(kind="re_engagement").due_on.isoformat() == _in(60)
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert event.decoded("dtstart").isoformat() == _in(60)
    assert str(event["summary"]) == "Re-engage Acme"


def test_without_a_date_the_proposed_one_is_taken(api_client, rita, make_customer):
    renewal = timezone.localdate() + dt.timedelta(days=75)
    customer = make_customer(owner=rita, renewal_on=renewal)

    response = api_client.as_user(rita).post(f"/api/v1/relationships/{customer.pk}/re-engagement")

    assert response.json()["re_engagement"]["on"] == renewal.isoformat()


def test_no_reminder_before_a_date_is_set(api_client, rita, make_customer):
    customer = make_customer(owner=rita)

    response = api_client.as_user(rita).get(
        f"/api/v1/relationships/{customer.pk}/re-engagement.ics"
    )

    assert response.status_code == 404


def test_the_analyst_changes_nothing(api_client, rita, ana, make_customer):
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    api = api_client.as_user(ana)

    responses = [
        api.post(
            f"/api/v1/relationships/{customer.pk}/status", {"status": "restored", "reason": "x"}
        ),
        api.post(
            f"/api/v1/relationships/{customer.pk}/touchpoints",
            {"kind": "call", "description": "Call", "due_on": _in(1)},
        ),
        api.post(f"/api/v1/relationships/{customer.pk}/re-engagement", {"on": _in(30)}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]
    assert Relationship.objects.get().status == "strained"
    assert not Touchpoint.objects.exists()
    actions.relationship_of(customer)  # untouched
