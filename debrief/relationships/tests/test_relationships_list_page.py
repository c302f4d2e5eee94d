"""The Relationships list: the customers whose relationship is not intact, the damaged first
and the longest damaged first, with the next touchpoint and the re-engagement date; a
status filter; only customers the user may see; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from debrief.relationships import actions
from debrief.relationships.tests.helpers import damage, field_error, mend


def _names(response):
    return re.findall(
        r'data-label="Customer"><a href="/customers/\d+/relationship/">([^<]*)</a>',
        response.content.decode(),
    )


def test_damaged_first_and_the_oldest_damage_first(client, rita, make_customer):
    # given
    damage(make_customer(name="Recent strain", owner=rita), rita, days_ago=3)
    damage(make_customer(name="Old break", owner=rita), rita, days_ago=90, status="broken")
    mend(make_customer(name="Mended", owner=rita), rita, damaged_days_ago=50)
    recovering = make_customer(name="On the way back", owner=rita)
    damage(recovering, rita, days_ago=200)
    actions.add_touchpoint(
        recovering,
        rita,
        kind="share_value",
        description="Send the benchmark",
        due_on=timezone.localdate() + dt.timedelta(days=4),
        owner=rita,
    )
    actions.relationship_of(make_customer(name="Fine", owner=rita))
    client.force_login(rita)

    # when
    response = client.get("/relationships/")

    # then
    assert _names(response) == ["Old break", "Recent strain", "On the way back", "Mended"]
    assert "Send the benchmark" in response.content.decode()


def test_the_status_filter(client, rita, make_customer):
    damage(make_customer(name="Strained one", owner=rita), rita, days_ago=3)
    damage(make_customer(name="Broken one", owner=rita), rita, days_ago=3, status="broken")
    client.force_login(rita)

    response = client.get("/relationships/", {"status": "broken"})
    partial = client.get("/relationships/", {"status": "strained"}, headers={"HX-Request": "true"})

    assert _names(response) == ["Broken one"]
    assert _names(partial) == ["Strained one"]
    assert "<html" not in partial.content.decode()


def test_an_unknown_status_is_named_beside_the_filter(client, rita, make_customer):
    damage(make_customer(name="Strained one", owner=rita), rita, days_ago=3)
    client.force_login(rita)

    response = client.get("/relationships/", {"status": "furious"})

    assert response.status_code == 200
    assert "not one of the available choices" in field_error(response, "relationship-status-filter")
    assert _names(response) == ["Strained one"]


def test_only_customers_the_user_may_see(client, rita, oscar, sam, north, south, make_customer):
    damage(make_customer(name="North account", owner=rita, team=north), rita, days_ago=3)
    damage(make_customer(name="South account", owner=oscar, team=south), oscar, days_ago=3)

    client.force_login(sam)
    assert _names(client.get("/relationships/")) == ["South account"]
    client.force_login(rita)
    assert _names(client.get("/relationships/")) == ["North account"]


def test_the_list_costs_the_same_queries_however_many_rows(
    client, rita, make_customer, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            customer = make_customer(owner=rita)
            damage(customer, rita, days_ago=10)
            actions.add_touchpoint(
                customer,
                rita,
                kind="call",
                description="Call",
                due_on=timezone.localdate(),
                owner=rita,
            )

    client.force_login(rita)
    add(1)
    # session, user, teams (for the rules), status counts, count, page
    with django_assert_num_queries(6) as few:
        client.get("/relationships/")
    add(12)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/relationships/")
    assert len(_names(response)) == 13
