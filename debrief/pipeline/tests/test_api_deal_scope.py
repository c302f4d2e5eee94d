"""Through the API each role sees exactly the deals it sees on the pages: a rep their own,
a manager their team's, the analyst and the admin all. Another team's deal is a 404."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def deals(cast: Any, make_deal: Any) -> dict[str, Any]:
    return {
        "rita": make_deal(cast.rita, name="Rita's deal"),
        "nico": make_deal(cast.nico, name="Nico's deal"),
        "oscar": make_deal(cast.oscar, name="Oscar's deal"),
    }


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {d["name"] for d in response.json()["items"]}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("rita", {"Rita's deal"}),
        ("nico", {"Nico's deal"}),
        ("oscar", {"Oscar's deal"}),
        ("maya", {"Rita's deal", "Nico's deal"}),
        ("sam", {"Oscar's deal"}),
        ("ana", {"Rita's deal", "Nico's deal", "Oscar's deal"}),
        ("adam", {"Rita's deal", "Nico's deal", "Oscar's deal"}),
    ],
)
def test_the_deal_list_shows_what_the_role_may_see(api_client, cast, deals, who, expected):
    # when
    response = api_client.as_user(getattr(cast, who)).get("/api/v1/deals")

    # then
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("who", "deal", "status"),
    [
        ("rita", "rita", 200),
        ("rita", "nico", 404),
        ("oscar", "rita", 404),
        ("maya", "nico", 200),
        ("maya", "oscar", 404),
        ("sam", "rita", 404),
        ("ana", "oscar", 200),
        ("adam", "rita", 200),
    ],
)
def test_a_deal_is_there_or_not_found(api_client, cast, deals, who, deal, status):
    # when
    response = api_client.as_user(getattr(cast, who)).get(f"/api/v1/deals/{deals[deal].pk}")

    # then
    assert response.status_code == status
    if status == 404:
        assert response.json()["detail"] == "Not found."
    else:
        assert response.json()["name"] == deals[deal].name


def test_another_teams_deal_is_not_found_for_its_timeline_or_contacts(api_client, cast, deals):
    # given
    client = api_client.as_user(cast.oscar)
    rita_deal = deals["rita"].pk

    # when
    urls = [f"/api/v1/deals/{rita_deal}/events", f"/api/v1/deals/{rita_deal}/contacts"]

    # then
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.patch(f"/api/v1/deals/{rita_deal}", {"name": "Mine"}).status_code == 404


def test_the_deal_shows_its_fields(api_client, cast, make_deal, stages):
    # given
    from debrief.pipeline import actions

    competitor = actions.create_competitor(None, "Rival")
    deal = make_deal(
        cast.rita,
        name="Fleet renewal",
        amount="12345.60",
        products=[actions.get_or_create_product("Telematics")],
        competitors=[competitor],
        source="Referral",
        attributes={"Region": "EMEA"},
    )

    # when
    body = api_client.as_user(cast.rita).get(f"/api/v1/deals/{deal.pk}").json()

    # then
    assert body["name"] == "Fleet renewal"
    assert body["amount"] == "12345.60"
    assert body["currency"] == "USD"
    assert body["products"] == ["Telematics"]
    assert body["competitors"] == [{"id": competitor.pk, "name": "Rival"}]
    assert body["owner"] == {"id": cast.rita.pk, "name": "Rita Reyes", "email": "rita@example.com"}
    assert body["team"]["name"] == "North"
    assert body["stage"] == {"id": stages["Prospecting"].pk, "name": "Prospecting", "kind": "open"}
    assert body["status"] == "open"
    assert body["attributes"] == {"Region": "EMEA"}
    assert body["source"] == "Referral"
    assert body["url"].endswith(f"/deals/{deal.pk}/")
    assert body["created_at"].endswith("Z")
