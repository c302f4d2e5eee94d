"""Creating and changing deals through the API: the same actions and rules as the pages.
A bad value is refused naming its field, and then nothing at all is saved."""

from __future__ import annotations

from typing import Any

import pytest

from debrief.pipeline import actions
from debrief.pipeline.models import Deal, DealEvent, Product


def error_fields(response: Any) -> list[str | None]:
    assert response.status_code == 422, response.content
    # One entry per field: a value can break several rules of the same field at once.
    return list(dict.fromkeys(e["field"] for e in response.json()["errors"]))


def test_a_rep_creates_a_deal(api_client, cast, make_customer, stages):
    # given
    customer = make_customer(team=cast.rita.teams.get())
    rival = actions.create_competitor(None, "Rival")

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/deals",
        {
            "name": "Warehouse robots",
            "customer": customer.pk,
            "amount": "48000.50",
            "currency": "eur",
            "stage": stages["Discovery"].pk,
            "products": ["Robots", "Support plan"],
            "competitors": [rival.pk],
            "expected_close_date": "2030-05-31",
            "attributes": {"Lead score": 7},
        },
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["email"] == "rita@example.com"
    assert body["team"]["name"] == "North"
    assert body["amount"] == "48000.50"
    assert body["currency"] == "EUR"
    assert body["stage"]["name"] == "Discovery"
    assert sorted(body["products"]) == ["Robots", "Support plan"]
    assert body["competitors"] == [{"id": rival.pk, "name": "Rival"}]
    assert body["expected_close_date"] == "2030-05-31"
    assert body["attributes"] == {"Lead score": 7}
    deal = Deal.objects.get(pk=body["id"])
    assert list(deal.events.values_list("kind", "actor")) == [("created", cast.rita.pk)]


def test_a_new_deal_defaults_to_the_first_open_stage(api_client, cast, make_customer):
    # given
    customer = make_customer(team=cast.rita.teams.get())

    # when
    body = (
        api_client.as_user(cast.rita)
        .post("/api/v1/deals", {"name": "Quick one", "customer": customer.pk})
        .json()
    )

    # then
    assert body["stage"]["name"] == "Prospecting"
    assert body["amount"] == "0.00"


def test_a_manager_gives_a_deal_to_a_rep_of_the_team(api_client, cast, make_customer):
    # given
    customer = make_customer(team=cast.rita.teams.get())

    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/deals", {"name": "For Nico", "customer": customer.pk, "owner": cast.nico.pk}
    )

    # then
    assert response.status_code == 201, response.content
    assert response.json()["owner"]["email"] == "nico@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -5}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"stage": 999999}, "stage"),
        ({"currency": "EURO"}, "currency"),
        ({"customer": 999999}, "customer"),
        ({"competitors": [999999]}, "competitors"),
        ({"expected_close_date": "soon"}, "expected_close_date"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_new_deal_names_the_field_and_saves_nothing(
    api_client, cast, make_customer, change, field
):
    # given
    customer = make_customer(team=cast.rita.teams.get())
    payload = {"name": "Bad", "customer": customer.pk, "products": ["Brand new product"]}

    # when
    response = api_client.as_user(cast.rita).post("/api/v1/deals", {**payload, **change})

    # then
    assert error_fields(response) == [field]
    assert not Deal.objects.exists()
    assert not DealEvent.objects.exists()
    assert not Product.objects.exists()


def test_an_owner_from_another_team_is_refused(api_client, cast, make_customer):
    # given
    customer = make_customer(team=cast.rita.teams.get())

    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/deals", {"name": "For Oscar", "customer": customer.pk, "owner": cast.oscar.pk}
    )

    # then
    assert error_fields(response) == ["owner"]
    assert not Deal.objects.exists()


def test_a_rep_cannot_give_a_deal_to_a_teammate(api_client, cast, make_customer):
    # given
    customer = make_customer(team=cast.rita.teams.get())

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/deals", {"name": "For Nico", "customer": customer.pk, "owner": cast.nico.pk}
    )

    # then
    assert error_fields(response) == ["owner"]


def test_another_teams_customer_is_unknown(api_client, cast, make_customer):
    # given
    southern = make_customer(team=cast.oscar.teams.get())

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/deals", {"name": "Poaching", "customer": southern.pk}
    )

    # then
    assert error_fields(response) == ["customer"]


def test_patch_changes_only_what_is_sent(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, name="Before", source="Website")

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/deals/{deal.pk}",
        {"name": "After", "amount": 30000, "next_step": "Send the proposal"},
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["amount"], body["next_step"]) == (
        "After",
        "30000.00",
        "Send the proposal",
    )
    assert body["source"] == "Website"
    amount_event = deal.events.get(kind="amount_changed")
    assert (amount_event.from_value, amount_event.to_value) == ("25000.00", "30000.00")


def test_patch_can_clear_a_date_but_not_a_name(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita, next_step_date="2030-01-01")
    client = api_client.as_user(cast.rita)

    # when
    cleared = client.patch(f"/api/v1/deals/{deal.pk}", {"next_step_date": None})
    refused = client.patch(f"/api/v1/deals/{deal.pk}", {"name": None})

    # then
    assert cleared.json()["next_step_date"] is None
    assert error_fields(refused) == ["name"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"stage": 999999}, "stage"),
        ({"currency": "DOLLARS"}, "currency"),
        ({"owner": "oscar"}, "owner"),
    ],
)
def test_a_bad_patch_names_the_field_and_changes_nothing(
    api_client, cast, make_deal, change, field
):
    # given
    deal = make_deal(cast.rita, name="Unchanged")

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/deals/{deal.pk}", {"name": "Changed", **change}
    )

    # then
    assert error_fields(response) == [field]
    deal.refresh_from_db()
    assert (deal.name, deal.amount, deal.currency) == ("Unchanged", 25000, "USD")
    assert list(deal.events.values_list("kind", flat=True)) == ["created"]


def test_moving_a_deal_to_another_team_owner_is_refused(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.maya).patch(
        f"/api/v1/deals/{deal.pk}", {"owner": cast.oscar.pk}
    )

    # then
    assert error_fields(response) == ["owner"]
    deal.refresh_from_db()
    assert deal.owner == cast.rita


def test_a_patched_stage_is_a_stage_move(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)

    # when
    body = (
        api_client.as_user(cast.rita)
        .patch(f"/api/v1/deals/{deal.pk}", {"stage": stages["Closed Won"].pk})
        .json()
    )

    # then
    assert body["status"] == "won"
    assert body["closed_on"] is not None
    assert set(deal.events.values_list("kind", flat=True)) == {"created", "stage_changed", "won"}


def test_a_deal_is_not_lost_by_patching_its_stage(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/deals/{deal.pk}", {"stage": stages["Closed Lost"].pk}
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stage"
    deal.refresh_from_db()
    assert deal.status == "open"


def test_the_analyst_may_not_write(api_client, cast, make_deal, make_customer, stages):
    # given
    deal = make_deal(cast.rita)
    customer = make_customer()
    client = api_client.as_user(cast.ana)

    # when
    responses = [
        client.post("/api/v1/deals", {"name": "No", "customer": customer.pk}),
        client.patch(f"/api/v1/deals/{deal.pk}", {"name": "No"}),
        client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Proposal"].pk}),
    ]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert "Analysts read" in responses[0].json()["detail"]
    assert all("Analysts read" in r.json()["detail"] for r in responses)
    assert Deal.objects.count() == 1
    deal.refresh_from_db()
    assert deal.name != "No"
    assert deal.stage == stages["Prospecting"]


def test_deals_are_not_deleted(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.adam).delete(f"/api/v1/deals/{deal.pk}")

    # then
    assert response.status_code == 405
    assert Deal.objects.filter(pk=deal.pk).exists()
