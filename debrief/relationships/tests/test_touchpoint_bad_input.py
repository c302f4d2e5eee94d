"""Bad input on the recovery plan: a touchpoint for another team's customer is a 404, one in
the past an error beside its date; either way nothing is saved, not even half of it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint
from debrief.relationships.tests.helpers import damage, field_error


def _add(client, customer, owner, due_on, **headers):
    return client.post(
        f"/customers/{customer.pk}/relationship/touchpoints/",
        {"kind": "call", "description": "Call to listen", "due_on": due_on, "owner": owner.pk},
        headers=headers,
    )


def test_a_touchpoint_for_another_teams_customer_is_not_found(client, rita, oscar, make_customer):
    # given a South customer whose relationship is strained
    customer = make_customer(owner=oscar)
    damage(customer, oscar, days_ago=5)
    client.force_login(rita)

    # when Rita tries to add a step to its plan
    response = _add(client, customer, rita, timezone.localdate().isoformat())

    # then
    assert response.status_code == 404
    assert not Touchpoint.objects.exists()
    assert Relationship.objects.get().status == "strained"


def test_a_touchpoint_in_the_past_is_refused_beside_its_date(client, rita, make_customer):
    # given
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    client.force_login(rita)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    # when
    response = _add(client, customer, rita, yesterday)

    # then the error is beside the date, the form keeps what was typed, nothing is saved
    assert response.status_code == 400
    assert field_error(response, "touchpoint_due_on") == "A touchpoint is planned from today on."
    assert 'value="Call to listen"' in response.content.decode()
    assert not Touchpoint.objects.exists()
    assert Relationship.objects.get().status == "strained"
    assert RelationshipEvent.objects.count() == 1


def test_htmx_shows_the_error_in_place(client, rita, make_customer):
    customer = make_customer(owner=rita)
    client.force_login(rita)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    response = _add(client, customer, rita, yesterday, HX_Request="true")

    # 200 so that HTMX swaps the form in with its error
    assert response.status_code == 200
    assert field_error(response, "touchpoint_due_on") == "A touchpoint is planned from today on."
    assert not Touchpoint.objects.exists()


def test_a_rep_cannot_give_a_touchpoint_to_another_teams_rep(client, rita, oscar, make_customer):
    customer = make_customer(owner=rita)
    client.force_login(rita)

    response = _add(client, customer, oscar, timezone.localdate().isoformat())

    assert response.status_code == 400
    assert "valid choice" in field_error(response, "touchpoint_owner")
    assert not Touchpoint.objects.exists()
