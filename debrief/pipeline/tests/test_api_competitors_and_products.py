"""Competitors: everyone who works deals may add and correct them, analysts only read.
Products are listed; they are added by naming them on a deal."""

from __future__ import annotations

from debrief.pipeline import actions
from debrief.pipeline.models import Competitor


def test_a_rep_adds_and_corrects_a_competitor(api_client, cast):
    # given
    client = api_client.as_user(cast.rita)

    # when
    created = client.post("/api/v1/competitors", {"name": "Rivalry Corp"})
    changed = client.patch(
        f"/api/v1/competitors/{created.json()['id']}",
        {"name": "Rivalry Inc", "website": "https://rivalry.example"},
    )

    # then
    assert created.status_code == 201, created.content
    assert changed.json()["name"] == "Rivalry Inc"
    assert changed.json()["website"] == "https://rivalry.example"


def test_competitors_are_listed_and_searched(api_client, cast):
    # given
    for name in ("Acme Analytics", "Beta Systems", "Acme Cloud"):
        actions.create_competitor(None, name)

    # when
    found = api_client.as_user(cast.oscar).get("/api/v1/competitors", q="acme").json()

    # then
    assert found["count"] == 2
    assert [c["name"] for c in found["items"]] == ["Acme Analytics", "Acme Cloud"]


def test_the_analyst_may_not_add_or_change_competitors(api_client, cast):
    # given
    rival = actions.create_competitor(None, "Rival")
    client = api_client.as_user(cast.ana)

    # when
    created = client.post("/api/v1/competitors", {"name": "Another"})
    changed = client.patch(f"/api/v1/competitors/{rival.pk}", {"name": "Renamed"})

    # then
    assert (created.status_code, changed.status_code) == (403, 403)
    assert list(Competitor.objects.values_list("name", flat=True)) == ["Rival"]


def test_a_duplicate_competitor_names_the_field(api_client, cast):
    # given
    actions.create_competitor(None, "Rival")
    other = actions.create_competitor(None, "Other")

    # when
    response = api_client.as_user(cast.rita).patch(
        f"/api/v1/competitors/{other.pk}", {"name": "RIVAL"}
    )

    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]


def test_an_unknown_competitor_is_a_404(api_client, cast):
    assert api_client.as_user(cast.rita).get("/api/v1/competitors/999999").status_code == 404


def test_products_named_on_deals_are_listed(api_client, cast, make_customer):
    # given
    client = api_client.as_user(cast.rita)
    customer = make_customer(team=cast.rita.teams.get())
    client.post(
        "/api/v1/deals",
        {"name": "Deal", "customer": customer.pk, "products": ["Telematics", "Support"]},
    )

    # when
    products = client.get("/api/v1/products").json()
    found = client.get("/api/v1/products", q="tele").json()

    # then
    assert [p["name"] for p in products["items"]] == ["Support", "Telematics"]
    assert [p["name"] for p in found["items"]] == ["Telematics"]
