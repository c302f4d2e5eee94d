"""The recovery plan on the relationship page: ordered touchpoints with dates and owners,
added (the relationship starts recovering), moved up and down, marked done with how it
landed — as a plain form post, or swapped in place by HTMX."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from debrief.relationships import actions
from debrief.relationships.models import Relationship, RelationshipEvent, Touchpoint
from debrief.relationships.tests.helpers import damage, section, text


def _add(client, customer, owner, description, days_ahead=2, **headers):
    return client.post(
        f"/customers/{customer.pk}/relationship/touchpoints/",
        {
            "kind": "call",
            "description": description,
            "due_on": (timezone.localdate() + dt.timedelta(days=days_ahead)).isoformat(),
            "owner": owner.pk,
        },
        headers=headers,
    )


def _plan_order(response):
    return re.findall(
        r'<li id="touchpoint-\d+">.*?</strong> ([^<]+?)\s*<span', response.content.decode(), re.S
    )


def test_adding_a_touchpoint_starts_the_recovery(client, rita, make_customer):
    # given
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    client.force_login(rita)

    # when
    response = _add(client, customer, rita, "Call Cleo to listen")

    # then
    assert response.status_code == 302
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.description, touchpoint.owner, touchpoint.order) == (
        "Call Cleo to listen",
        rita,
        1,
    )
    assert Relationship.objects.get().status == "recovering"
    page = client.get(f"/customers/{customer.pk}/relationship/")
    assert "Call Cleo to listen" in section(page, "recovery-plan")
    assert "Recovering" in section(page, "relationship-status")


def test_htmx_gets_the_plan_and_the_new_status_in_place(client, rita, make_customer):
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    client.force_login(rita)

    response = _add(client, customer, rita, "Send the benchmark report", HX_Request="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="recovery-plan"')
    assert "Send the benchmark report" in body
    assert 'id="relationship-status" aria-labelledby="status-heading" hx-swap-oob="true"' in body
    assert "Recovering" in body
    assert "<html" not in body


def test_touchpoints_move_up_and_down(client, rita, make_customer):
    # given a plan of three steps
    customer = make_customer(owner=rita)
    for description in ("First call", "Share the report", "Lunch"):
        actions.add_touchpoint(
            customer,
            rita,
            kind="call",
            description=description,
            due_on=timezone.localdate(),
            owner=rita,
        )
    lunch = Touchpoint.objects.get(description="Lunch")
    first = Touchpoint.objects.get(description="First call")
    client.force_login(rita)

    # when lunch moves up, and the first call down
    client.post(f"/customers/{customer.pk}/relationship/touchpoints/{lunch.pk}/up/")
    client.post(f"/customers/{customer.pk}/relationship/touchpoints/{first.pk}/down/")

    # then
    assert list(Touchpoint.objects.values_list("description", flat=True)) == [
        "Lunch",
        "First call",
        "Share the report",
    ]
    page = client.get(f"/customers/{customer.pk}/relationship/")
    assert _plan_order(page) == ["Lunch", "First call", "Share the report"]


def test_marking_a_touchpoint_done_records_how_it_landed(client, rita, make_customer):
    # given
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=5)
    touchpoint = actions.add_touchpoint(
        customer, rita, kind="email", description="Apology", due_on=timezone.localdate(), owner=rita
    )
    client.force_login(rita)

    # when
    response = client.post(
        f"/customers/{customer.pk}/relationship/touchpoints/{touchpoint.pk}/done/",
        {"outcome_note": "They thanked us and asked for the roadmap"},
        headers={"HX-Request": "true"},
    )

    # then
    assert response.status_code == 200
    touchpoint.refresh_from_db()
    assert touchpoint.done_at is not None
    assert touchpoint.outcome_note == "They thanked us and asked for the roadmap"
    assert "They thanked us" in response.content.decode()
    event = RelationshipEvent.objects.get(kind="touchpoint_done")
    assert event.actor == rita
    assert "Touchpoint done" in response.content.decode()


def test_a_touchpoint_of_another_customer_is_not_found_here(client, rita, make_customer):
    mine = make_customer(owner=rita)
    other = make_customer(owner=rita)
    touchpoint = actions.add_touchpoint(
        other, rita, kind="call", description="Call", due_on=timezone.localdate(), owner=rita
    )
    client.force_login(rita)

    response = client.post(
        f"/customers/{mine.pk}/relationship/touchpoints/{touchpoint.pk}/done/", {}
    )

    assert response.status_code == 404
    touchpoint.refresh_from_db()
    assert touchpoint.done_at is None


def test_a_touchpoint_done_twice_keeps_its_first_outcome(client, rita, make_customer):
    # given a touchpoint marked done in another tab
    customer = make_customer(owner=rita)
    touchpoint = actions.add_touchpoint(
        customer, rita, kind="call", description="Call", due_on=timezone.localdate(), owner=rita
    )
    actions.complete_touchpoint(touchpoint, rita, outcome_note="They picked up")
    client.force_login(rita)

    # when
    response = client.post(
        f"/customers/{customer.pk}/relationship/touchpoints/{touchpoint.pk}/done/",
        {"outcome_note": "Again"},
        follow=True,
    )

    # then
    assert "This touchpoint is already done." in text(response)
    touchpoint.refresh_from_db()
    assert touchpoint.outcome_note == "They picked up"
