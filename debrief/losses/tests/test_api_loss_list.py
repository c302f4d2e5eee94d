"""The losses list in the API: the deals you may see, the Losses page's filters, pages of
`{count, items}`, and a bad filter named."""

from __future__ import annotations

from decimal import Decimal

from debrief.losses.tests.api_helpers import errors, lose, outcome
from debrief.pipeline import actions as pipeline_actions


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["deal"]["name"] for item in response.json()["items"])


def test_each_role_lists_the_losses_of_the_deals_it_sees(api_client, cast, make_deal):
    # given
    lose(make_deal(cast.rita, name="Rita's"), cast.rita)
    lose(make_deal(cast.nico, name="Nico's"), cast.nico)
    lose(make_deal(cast.oscar, name="Oscar's"), cast.oscar)

    # when
    seen = {
        user.email.split("@")[0]: names(api_client.as_user(user).get("/api/v1/losses"))
        for user in (cast.rita, cast.maya, cast.sam, cast.ana, cast.adam)
    }

    # then
    assert seen == {
        "rita": ["Rita's"],
        "maya": ["Nico's", "Rita's"],
        "sam": ["Oscar's"],
        "ana": ["Nico's", "Oscar's", "Rita's"],
        "adam": ["Nico's", "Oscar's", "Rita's"],
    }


def test_the_filters_are_the_losses_pages(api_client, cast, make_deal):
    # given
    rival = pipeline_actions.create_competitor(None, "Acme Rival")
    lose(make_deal(cast.rita, name="Old price"), cast.rita, days_ago=40)
    lose(
        make_deal(cast.rita, name="Big timing", amount=Decimal("900000")),
        cast.rita,
        reasons=("Timing",),
        days_ago=2,
    )
    deal = make_deal(cast.nico, name="Lost to Acme", competitors=[rival])
    lose(deal, cast.nico, reasons=("Competitor's offer",), consent="no")
    client = api_client.as_user(cast.maya)
    timing = client.get("/api/v1/reasons", q="Timing").json()["items"][0]["id"]

    # when / then
    assert names(client.get("/api/v1/losses", reason=timing)) == ["Big timing"]
    assert names(client.get("/api/v1/losses", major="true")) == ["Big timing"]
    assert names(client.get("/api/v1/losses", debrief_status="none")) == ["Lost to Acme"]
    assert names(client.get("/api/v1/losses", owner=cast.nico.pk)) == ["Lost to Acme"]
    assert names(client.get("/api/v1/losses", outcome_type=outcome().pk)) == [
        "Big timing",
        "Lost to Acme",
        "Old price",
    ]
    recent = client.get("/api/v1/losses", lost_from=str(deal.losses.get().lost_on))
    assert names(recent) == ["Lost to Acme"]
    assert names(client.get("/api/v1/losses", deal=deal.pk)) == ["Lost to Acme"]


def test_a_bad_filter_is_named(api_client, cast):
    # when
    response = api_client.as_user(cast.maya).get("/api/v1/losses", debrief_status="maybe")

    # then
    assert "debrief_status" in errors(response)


def test_losses_come_in_pages(api_client, cast, make_deal):
    # given
    for n in range(5):
        lose(make_deal(cast.rita, name=f"Deal {n}"), cast.rita)

    # when
    response = api_client.as_user(cast.rita).get("/api/v1/losses", limit=2, offset=4)

    # then
    body = response.json()
    assert body["count"] == 5
    assert len(body["items"]) == 1
