"""Creating and editing a deal through its form: the deal is saved through the actions, a
customer can be preset from its page, and new products are added on the way."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.pipeline import actions
from debrief.pipeline.models import Deal, DealEvent
from debrief.pipeline.tests.pages import text


@pytest.fixture
def form_data(north, make_customer, stages):
    def data(**changes):
        values = {
            "name": "Data platform",
            "customer": make_customer(name="Atlas Mining", team=north).pk,
            "amount": "42000",
            "currency": "usd",
            "stage": stages["Qualification"].pk,
            "expected_close_date": "2030-06-30",
            "source": "Referral",
            "next_step": "Demo",
        }
        values.update(changes)
        return values

    return data


def test_a_rep_creates_a_deal(client, rita, form_data):
    # given
    competitor = actions.create_competitor(None, "Snowflake")
    client.force_login(rita)

    # when
    response = client.post(
        "/deals/new/",
        form_data(
            owner=rita.pk,
            new_products="Lakehouse, Connectors",
            competitors=[competitor.pk],
        ),
    )

    # then
    deal = Deal.objects.get(name="Data platform")
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert deal.owner == rita
    assert deal.team.name == "North"
    assert deal.amount == Decimal("42000")
    assert deal.currency == "USD"
    assert sorted(p.name for p in deal.products.all()) == ["Connectors", "Lakehouse"]
    assert list(deal.competitors.all()) == [competitor]
    assert DealEvent.objects.get(deal=deal).actor == rita
    page = text(client.get(response["Location"]))
    assert "Deal Data platform created." in page


def test_the_new_deal_form_presets_the_customer_and_the_owner(client, rita, north, make_customer):
    # given
    customer = make_customer(name="Preset Corp", team=north)
    client.force_login(rita)

    # when
    page = client.get(f"/deals/new/?customer={customer.pk}").content.decode()

    # then
    assert f'<option value="{customer.pk}" selected>Preset Corp</option>' in page
    assert f'<option value="{rita.pk}" selected>Rita Reyes</option>' in page


def test_a_manager_edits_a_deal_and_hands_it_over(client, maya, rita, nico, make_deal, stages):
    # given
    deal = make_deal(rita, name="Old name", amount=Decimal("1000"))
    client.force_login(maya)
    form = client.get(f"/deals/{deal.pk}/edit/").content.decode()
    assert 'value="Old name"' in form

    # when
    response = client.post(
        f"/deals/{deal.pk}/edit/",
        {
            "name": "New name",
            "customer": deal.customer_id,
            "owner": nico.pk,
            "team": deal.team_id,
            "amount": "2500",
            "currency": "USD",
            "stage": stages["Proposal"].pk,
        },
    )

    # then
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.name, deal.owner, deal.amount, deal.stage) == (
        "New name",
        nico,
        Decimal("2500"),
        stages["Proposal"],
    )
    page = text(client.get(f"/deals/{deal.pk}/"))
    assert "Amount changed from 1000.00 to 2500.00" in page
    assert "Owner changed from Rita Reyes to Nico Nowak" in page
    assert "Stage moved from Prospecting to Proposal" in page


def test_with_many_customers_the_form_lists_only_the_chosen_one(
    client, rita, north, make_customer, form_data, monkeypatch
):
    # given more customers than a select can usefully hold
    monkeypatch.setattr("debrief.pipeline.forms.CUSTOMER_SELECT_LIMIT", 2)
    chosen = make_customer(name="Chosen Co", team=north)
    for n in range(3):
        make_customer(name=f"Other {n}", team=north)
    client.force_login(rita)

    # when
    page = client.get(f"/deals/new/?customer={chosen.pk}").content.decode()
    response = client.post("/deals/new/", form_data(owner=rita.pk, customer=chosen.pk))

    # then
    assert f'<option value="{chosen.pk}" selected>Chosen Co</option>' in page
    assert "Other 0</option>" not in page
    assert 'id="customer-search"' in page
    assert response.status_code == 302
    assert Deal.objects.get().customer == chosen
