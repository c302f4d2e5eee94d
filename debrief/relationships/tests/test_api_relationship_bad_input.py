"""Bad input on the relationships API: a touchpoint for another team's customer is a 404, one
in the past or for someone you may not assign a 422 naming the field; a re-engagement date
that has come is refused; nothing is saved, not even half."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.pipeline.models import FollowUp
from debrief.relationships import actions
from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint
from debrief.relationships.tests.helpers import damage


def _in(days):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_a_touchpoint_for_another_teams_customer_is_not_found(
    api_client, rita, oscar, make_customer
):
    customer = make_customer(owner=oscar)
    damage(customer, oscar, days_ago=5)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "call", "description": "Call", "due_on": _in(1)},
    )

    assert response.status_code == 404
    assert not Touchpoint.objects.exists()
    assert Relationship.objects.get().status == "strained"


def test_a_touchpoint_in_the_past_names_its_date_and_saves_nothing(api_client, rita, make_customer):
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "call", "description": "Call", "due_on": _in(-1)},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "due_on", "message": "A touchpoint is planned from today on."}
    ]
    assert not Touchpoint.objects.exists()
    assert Relationship.objects.get().status == "strained"  # not half-started either
    assert RelationshipEvent.objects.count() == 1


def test_every_bad_field_is_named_at_once(api_client, rita, make_customer):
    customer = make_customer(owner=rita)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "carrier pigeon", "description": "", "due_on": _in(-2)},
    )

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"kind", "description", "due_on"}


def test_an_owner_you_may_not_assign_is_named(api_client, rita, oscar, make_customer):
    customer = make_customer(owner=rita)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/touchpoints",
        {"kind": "call", "description": "Call", "due_on": _in(1), "owner": oscar.pk},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner"
    assert not Touchpoint.objects.exists()


def test_a_done_touchpoint_stays_done(api_client, rita, make_customer):
    customer = make_customer(owner=rita)
    touchpoint = actions.add_touchpoint(
        customer, rita, kind="call", description="Call", due_on=timezone.localdate(), owner=rita
    )
    api = api_client.as_user(rita)
    url = f"/api/v1/relationships/{customer.pk}/touchpoints/{touchpoint.pk}"
    api.patch(url, {"done": True})

    again = api.patch(url, {"done": True, "outcome_note": "Twice?"})
    undone = api.patch(url, {"done": False})

    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "done"
    assert undone.status_code == 422 and undone.json()["errors"][0]["field"] == "done"
    touchpoint.refresh_from_db()
    assert touchpoint.done_at is not None and touchpoint.outcome_note == ""


def test_a_touchpoint_of_another_customer_is_not_found_here(api_client, rita, make_customer):
    mine, other = make_customer(owner=rita), make_customer(owner=rita)
    touchpoint = actions.add_touchpoint(
        other, rita, kind="call", description="Call", due_on=timezone.localdate(), owner=rita
    )

    response = api_client.as_user(rita).patch(
        f"/api/v1/relationships/{mine.pk}/touchpoints/{touchpoint.pk}", {"done": True}
    )

    assert response.status_code == 404


def test_a_re_engagement_date_that_has_come_is_refused(api_client, rita, make_customer):
    customer = make_customer(owner=rita)

    response = api_client.as_user(rita).post(
        f"/api/v1/relationships/{customer.pk}/re-engagement", {"on": _in(0)}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "on"
    assert not FollowUp.objects.exists()
