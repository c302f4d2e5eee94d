"""Customers and their contacts through the API, with the same visibility as the pages:
a team's customers are its own; another team's customer is a 404."""

from __future__ import annotations

from typing import Any

import pytest

from debrief.pipeline import actions
from debrief.pipeline.models import Contact, Customer


@pytest.fixture
def customers(cast: Any, make_customer: Any) -> dict[str, Any]:
    return {
        "north": make_customer(name="Northwind Traders", team=cast.rita.teams.get()),
        "south": make_customer(name="Southern Mills", team=cast.oscar.teams.get()),
    }


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["name"] for c in response.json()["items"]]


def test_each_team_lists_its_own_customers(api_client, cast, customers):
    assert names(api_client.as_user(cast.rita).get("/api/v1/customers")) == ["Northwind Traders"]
    assert names(api_client.as_user(cast.sam).get("/api/v1/customers")) == ["Southern Mills"]
    assert len(names(api_client.as_user(cast.ana).get("/api/v1/customers"))) == 2


def test_customers_can_be_searched(api_client, cast, customers):
    # when
    found = api_client.as_user(cast.adam).get("/api/v1/customers", q="mills")

    # then
    assert names(found) == ["Southern Mills"]
    assert found.json()["items"][0]["url"].endswith(f"/customers/{customers['south'].pk}/")


def test_another_teams_customer_is_not_found(api_client, cast, customers):
    # given
    client = api_client.as_user(cast.rita)
    south = customers["south"].pk

    # then
    assert client.get(f"/api/v1/customers/{south}").status_code == 404
    assert client.patch(f"/api/v1/customers/{south}", {"name": "Mine"}).status_code == 404
    assert client.get(f"/api/v1/customers/{south}/contacts").status_code == 404


def test_a_rep_creates_a_customer_for_their_team(api_client, cast):
    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/customers",
        {"name": "Harbour Logistics", "segment": "Logistics", "website": "https://harbour.example"},
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"]["name"] == "North"
    assert body["segment"] == "Logistics"
    assert api_client.get(f"/api/v1/customers/{body['id']}").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "website": "not a url"}, "website"),
        ({"name": "X", "team": 999999}, "team"),
        ({"segment": "No name"}, "name"),
    ],
)
def test_a_bad_customer_names_the_field(api_client, cast, payload, field):
    # when
    response = api_client.as_user(cast.rita).post("/api/v1/customers", payload)

    # then
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert not Customer.objects.exists()


def test_a_rep_cannot_file_a_customer_under_another_team(api_client, cast):
    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/customers", {"name": "X", "team": cast.oscar.teams.get().pk}
    )

    # then
    assert [e["field"] for e in response.json()["errors"]] == ["team"]


def test_patch_a_customer(api_client, cast, customers):
    # when
    response = api_client.as_user(cast.maya).patch(
        f"/api/v1/customers/{customers['north'].pk}", {"region": "Nordics", "owner": cast.rita.pk}
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["region"] == "Nordics"
    assert response.json()["owner"]["email"] == "rita@example.com"


def test_contacts_of_a_customer(api_client, cast, customers):
    # given
    client = api_client.as_user(cast.rita)
    north = customers["north"].pk

    # when
    created = client.post(
        f"/api/v1/customers/{north}/contacts",
        {"name": "Dana Diaz", "title": "CFO", "email": "dana@northwind.example"},
    )
    listed = client.get(f"/api/v1/customers/{north}/contacts").json()
    contact_id = created.json()["id"]
    changed = client.patch(f"/api/v1/contacts/{contact_id}", {"phone": "+44 20 7946 0000"})
    fetched = client.get(f"/api/v1/contacts/{contact_id}").json()

    # then
    assert created.status_code == 201, created.content
    assert created.json()["customer"] == {"id": north, "name": "Northwind Traders"}
    assert listed["count"] == 1
    assert changed.status_code == 200
    assert fetched["phone"] == "+44 20 7946 0000"


def test_a_bad_contact_names_the_field(api_client, cast, customers):
    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/customers/{customers['north'].pk}/contacts",
        {"name": "Dana", "email": "not-an-email"},
    )

    # then
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    assert not Contact.objects.exists()


def test_another_teams_contact_is_not_found(api_client, cast, customers):
    # given
    contact = actions.create_contact(customers["south"], None, name="Sol")

    # then
    client = api_client.as_user(cast.rita)
    assert client.get(f"/api/v1/contacts/{contact.pk}").status_code == 404
    assert client.patch(f"/api/v1/contacts/{contact.pk}", {"name": "X"}).status_code == 404


def test_the_analyst_reads_customers_but_changes_nothing(api_client, cast, customers):
    # given
    contact = actions.create_contact(customers["north"], None, name="Dana")
    client = api_client.as_user(cast.ana)
    north = customers["north"].pk

    # when
    responses = [
        client.post("/api/v1/customers", {"name": "No"}),
        client.patch(f"/api/v1/customers/{north}", {"name": "No"}),
        client.post(f"/api/v1/customers/{north}/contacts", {"name": "No"}),
        client.patch(f"/api/v1/contacts/{contact.pk}", {"name": "No"}),
    ]

    # then
    assert client.get(f"/api/v1/customers/{north}").status_code == 200
    assert client.get(f"/api/v1/contacts/{contact.pk}").status_code == 200
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert not Customer.objects.filter(name="No").exists()
