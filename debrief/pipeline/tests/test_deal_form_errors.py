"""A deal form with bad input shows each error beside its field and saves nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.pipeline.models import Deal, DealEvent, Product
from debrief.pipeline.tests.pages import field_error


@pytest.fixture
def form_data(north, make_customer, stages):
    customer = make_customer(name="Atlas Mining", team=north)

    def data(**changes):
        values = {
            "name": "Data platform",
            "customer": customer.pk,
            "amount": "42000",
            "currency": "USD",
            "stage": stages["Qualification"].pk,
            "new_products": "Brand new product",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}

    return data


def nothing_saved() -> bool:
    return not Deal.objects.exists() and not Product.objects.exists()


def test_a_negative_amount_is_refused_beside_the_amount(client, rita, form_data):
    # given
    client.force_login(rita)

    # when
    response = client.post("/deals/new/", form_data(owner=rita.pk, amount="-5"))

    # then
    assert response.status_code == 200
    assert field_error(response, "amount") == "The amount cannot be negative."
    assert nothing_saved()


def test_an_unknown_owner_is_refused_beside_the_owner(client, rita, form_data):
    # given
    client.force_login(rita)

    # when
    response = client.post("/deals/new/", form_data(owner="999999"))

    # then
    assert "Select a valid choice" in field_error(response, "owner")
    assert nothing_saved()


def test_a_rep_cannot_give_a_deal_to_another_team(client, rita, oscar, form_data):
    # given
    client.force_login(rita)

    # when
    response = client.post("/deals/new/", form_data(owner=oscar.pk))

    # then
    assert "Select a valid choice" in field_error(response, "owner")
    assert nothing_saved()


def test_an_owner_outside_the_chosen_team_is_refused(client, adam, oscar, north, form_data):
    # given: the admin may pick anyone, but the owner must belong to the deal's team
    client.force_login(adam)

    # when
    response = client.post("/deals/new/", form_data(owner=oscar.pk, team=north.pk))

    # then
    assert field_error(response, "owner") == "Oscar Olsen is not in the team North."
    assert nothing_saved()


def test_missing_fields_are_named(client, rita, form_data):
    # given
    client.force_login(rita)

    # when
    response = client.post("/deals/new/", form_data(owner=rita.pk, name="", amount="lots"))

    # then
    assert field_error(response, "name") == "This field is required."
    assert field_error(response, "amount") == "Enter a number."
    assert "The deal was not saved" in response.content.decode()
    assert nothing_saved()


def test_a_bad_edit_changes_nothing(client, rita, make_deal, form_data):
    # given
    deal = make_deal(rita, name="Keep me", amount=Decimal("1000"))
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/edit/",
        form_data(
            owner=rita.pk,
            team=deal.team_id,
            customer=deal.customer_id,
            name="Changed",
            amount="-1",
        ),
    )

    # then
    assert field_error(response, "amount") == "The amount cannot be negative."
    deal.refresh_from_db()
    assert (deal.name, deal.amount) == ("Keep me", Decimal("1000"))
    assert list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True)) == ["created"]
    assert not Product.objects.exists()
