"""Assign a different rep to a customer whose relationship suffered: the manager chooses among
the reps they may assign, says why, and may move the open deals too."""

from __future__ import annotations

from debrief.pipeline.models import Deal
from debrief.relationships.models import RelationshipEvent
from debrief.relationships.tests.helpers import damage, field_error, section


def test_a_manager_gives_the_account_and_its_open_deals_to_another_rep(
    client, rita, nico, maya, north, make_customer, make_deal, stages
):
    # given a North customer of Rita's with an open and a won deal
    customer = make_customer(owner=rita, team=north)
    open_deal = make_deal(rita, customer=customer)
    won_deal = make_deal(rita, customer=customer, stage=stages["Closed Won"])
    damage(customer, rita, days_ago=20)
    client.force_login(maya)

    # when
    response = client.post(
        f"/customers/{customer.pk}/relationship/rep/",
        {"new_rep": nico.pk, "reason": "A fresh start after the demo", "move_open_deals": "on"},
    )

    # then
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.owner == nico
    assert Deal.objects.get(pk=open_deal.pk).owner == nico
    assert Deal.objects.get(pk=won_deal.pk).owner == rita
    event = RelationshipEvent.objects.get(kind="rep_changed")
    assert event.reason == "A fresh start after the demo"
    assert event.data["moved_deal_ids"] == [open_deal.pk]
    page = client.get(response["Location"])
    history = section(page, "relationship-history")
    assert "Rep changed from Rita Reyes to Nico Nowak; 1 open deal moved" in history


def test_the_deals_stay_unless_asked(client, rita, nico, maya, north, make_customer, make_deal):
    customer = make_customer(owner=rita, team=north)
    deal = make_deal(rita, customer=customer)
    client.force_login(maya)

    client.post(
        f"/customers/{customer.pk}/relationship/rep/",
        {"new_rep": nico.pk, "reason": "Rita is moving to enterprise"},
    )

    assert Deal.objects.get(pk=deal.pk).owner == rita


def test_why_is_asked(client, rita, nico, maya, north, make_customer):
    customer = make_customer(owner=rita, team=north)
    client.force_login(maya)

    response = client.post(f"/customers/{customer.pk}/relationship/rep/", {"new_rep": nico.pk})

    assert response.status_code == 400
    assert "required" in field_error(response, "rep_reason")
    customer.refresh_from_db()
    assert customer.owner == rita


def test_a_rep_may_only_choose_among_those_they_may_assign(client, rita, nico, make_customer):
    customer = make_customer(owner=rita)
    client.force_login(rita)

    response = client.post(
        f"/customers/{customer.pk}/relationship/rep/", {"new_rep": nico.pk, "reason": "Busy"}
    )

    assert response.status_code == 400
    assert "valid choice" in field_error(response, "rep_new_rep")
    customer.refresh_from_db()
    assert customer.owner == rita
