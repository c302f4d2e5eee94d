"""GET /api/v1/relationships and /relationships/{customer_id}: the relationships of the
customers you may see, worst first, filtered by status; one with its history, recovery plan,
re-engagement date and time to mend. Another team's is a 404; a list costs the same queries
however long."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.relationships import actions
from debrief.relationships.tests.helpers import damage, mend


def test_the_list_is_worst_first_and_filters_by_status(api_client, rita, make_customer):
    # given
    damage(make_customer(name="Recent", owner=rita), rita, days_ago=3)
    damage(make_customer(name="Old", owner=rita), rita, days_ago=60, status="broken")
    mend(make_customer(name="Mended", owner=rita), rita, damaged_days_ago=20)
    actions.relationship_of(make_customer(name="Fine", owner=rita))
    api = api_client.as_user(rita)

    # when
    everything = api.get("/api/v1/relationships").json()
    broken = api.get("/api/v1/relationships", status="broken").json()
    intact = api.get("/api/v1/relationships", status="intact").json()

    # then
    assert everything["count"] == 3
    assert [r["customer"]["name"] for r in everything["items"]] == ["Old", "Recent", "Mended"]
    assert everything["items"][0]["status"] == "broken"
    assert [r["customer"]["name"] for r in broken["items"]] == ["Old"]
    assert [r["customer"]["name"] for r in intact["items"]] == ["Fine"]


def test_an_unknown_status_is_named(api_client, rita):
    response = api_client.as_user(rita).get("/api/v1/relationships", status="furious")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_one_relationship_with_everything_about_it(api_client, rita, make_customer):
    # given
    customer = make_customer(name="Acme", owner=rita)
    damage(customer, rita, days_ago=30)
    actions.add_touchpoint(
        customer,
        rita,
        kind="share_value",
        description="Send the benchmark",
        due_on=timezone.localdate(),
        owner=rita,
    )
    actions.change_status(customer, rita, "restored", reason="They called back")
    day = timezone.localdate() + dt.timedelta(days=100)
    actions.set_re_engagement(customer, rita, on=day, note="Spring budget")

    # when
    body = api_client.as_user(rita).get(f"/api/v1/relationships/{customer.pk}").json()

    # then
    assert body["status"] == "restored"
    assert body["customer"]["name"] == "Acme"
    assert [t["description"] for t in body["touchpoints"]] == ["Send the benchmark"]
    assert [(e["from_status"], e["to_status"]) for e in body["events"] if e["to_status"]] == [
        ("recovering", "restored"),
        ("strained", "recovering"),
        ("intact", "strained"),
    ]
    restored = next(e for e in body["events"] if e["to_status"] == "restored")
    assert restored["data"]["days_to_mend"] == 30
    assert restored["description"] == "Recovering → Restored after 30 days"
    assert body["time_to_mend"] == [
        {
            "damaged_on": (timezone.localdate() - dt.timedelta(days=30)).isoformat(),
            "restored_on": timezone.localdate().isoformat(),
            "days": 30,
            "bucket": "within 3 months",
        }
    ]
    assert body["re_engagement"]["on"] == day.isoformat()
    assert body["re_engagement"]["note"] == "Spring budget"
    assert body["re_engagement"]["owner"]["email"] == "rita@example.com"
    assert body["re_engagement"]["ics"] == f"/api/v1/relationships/{customer.pk}/re-engagement.ics"


def test_a_customer_nothing_happened_to_is_intact(api_client, rita, make_customer):
    customer = make_customer(owner=rita, renewal_on=timezone.localdate() + dt.timedelta(days=40))

    body = api_client.as_user(rita).get(f"/api/v1/relationships/{customer.pk}").json()

    assert body["status"] == "intact"
    assert body["events"] == [] and body["touchpoints"] == []
    assert body["re_engagement"]["on"] is None
    assert body["re_engagement"]["default_on"] == customer.renewal_on.isoformat()
    assert body["re_engagement"]["default_why"] == "the customer's renewal or budget date"


def test_another_teams_relationship_is_not_found(api_client, rita, oscar, make_customer):
    customer = make_customer(owner=oscar)
    damage(customer, oscar, days_ago=3)
    api = api_client.as_user(rita)

    assert api.get(f"/api/v1/relationships/{customer.pk}").status_code == 404
    assert api.get("/api/v1/relationships").json()["count"] == 0


def test_the_analyst_reads_every_relationship(api_client, rita, oscar, ana, make_customer):
    damage(make_customer(owner=rita), rita, days_ago=3)
    damage(make_customer(owner=oscar), oscar, days_ago=3)

    assert api_client.as_user(ana).get("/api/v1/relationships").json()["count"] == 2


def test_the_list_costs_the_same_queries_however_long(
    api_client, rita, make_customer, django_assert_num_queries, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            customer = make_customer(owner=rita)
            damage(customer, rita, days_ago=5)
            actions.add_touchpoint(
                customer,
                rita,
                kind="call",
                description="Call",
                due_on=timezone.localdate(),
                owner=rita,
            )

    api = api_client.as_user(rita)
    api.get("/api/v1/me")  # the token's first use is written down once
    add(1)
    with django_assert_max_num_queries(20) as few:
        api.get("/api/v1/relationships")
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/relationships").json()
    assert body["count"] == 11
    assert body["items"][0]["next_touchpoint"]["description"] == "Call"
