"""A customer's relationship page: its status with the history of every change (who, when,
from → to, why), and how long mending took — for those who may see the customer only."""

from __future__ import annotations

from django.utils import timezone

from debrief.relationships import actions
from debrief.relationships.models import Relationship
from debrief.relationships.tests.helpers import damage, section, text


def test_the_page_shows_the_status_its_history_and_the_time_to_mend(client, rita, make_customer):
    # given a relationship strained 40 days ago, worked on, then restored today
    customer = make_customer(name="Acme Ltd", owner=rita)
    damage(customer, rita, days_ago=40)
    actions.add_touchpoint(
        customer,
        rita,
        kind="call",
        description="Call Cleo to listen",
        due_on=timezone.localdate(),
        owner=rita,
    )
    actions.change_status(customer, rita, "restored", reason="They invited us to bid")
    client.force_login(rita)

    # when
    response = client.get(f"/customers/{customer.pk}/relationship/")

    # then
    assert response.status_code == 200
    assert "Restored" in section(response, "relationship-status")
    history = section(response, "relationship-history")
    assert "Recovering → Restored after 40 days" in history
    assert "They invited us to bid" in history
    assert "Intact → Strained" in history
    assert "Bad demo" in history
    assert "Rita Reyes" in history
    mended = section(response, "time-to-mend")
    assert "40 days" in mended
    assert "within 3 months" in mended
    assert "64%" in mended and "6%" in mended


def test_a_customer_nothing_happened_to_is_intact_and_reading_creates_nothing(
    client, rita, make_customer
):
    customer = make_customer(owner=rita)
    client.force_login(rita)

    response = client.get(f"/customers/{customer.pk}/relationship/")

    assert response.status_code == 200
    assert "Intact" in section(response, "relationship-status")
    assert "Nothing has happened" in section(response, "relationship-history")
    assert not Relationship.objects.exists()


def test_another_teams_customer_is_not_there(client, rita, oscar, make_customer):
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=3)
    client.force_login(oscar)

    response = client.get(f"/customers/{customer.pk}/relationship/")

    assert response.status_code == 404
    assert "Bad demo" not in text(response)


def test_the_analyst_reads_it_but_cannot_change_it(client, rita, ana, make_customer):
    # given
    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=3)
    client.force_login(ana)

    # when
    page = client.get(f"/customers/{customer.pk}/relationship/")
    change = client.post(
        f"/customers/{customer.pk}/relationship/status/",
        {"status": "restored", "reason": "Fine now", "version": 2},
    )

    # then
    assert page.status_code == 200
    assert "Change status" not in text(page)
    assert "Add a touchpoint" not in text(page)
    assert change.status_code == 403
    assert Relationship.objects.get().status == "strained"


def test_the_page_costs_the_same_queries_however_long_the_plan_and_history(
    client, rita, make_customer, django_assert_num_queries, django_assert_max_num_queries
):
    def add(customer, n):
        for i in range(n):
            touchpoint = actions.add_touchpoint(
                customer,
                rita,
                kind="call",
                description=f"Call {i}",
                due_on=timezone.localdate(),
                owner=rita,
            )
            actions.complete_touchpoint(touchpoint, rita, outcome_note="Fine")
            actions.add_touchpoint(
                customer,
                rita,
                kind="email",
                description=f"Email {i}",
                due_on=timezone.localdate(),
                owner=rita,
            )

    customer = make_customer(owner=rita)
    damage(customer, rita, days_ago=9)
    client.force_login(rita)
    add(customer, 1)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/customers/{customer.pk}/relationship/")
    add(customer, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"/customers/{customer.pk}/relationship/")
    assert "Email 9" in section(response, "recovery-plan")
