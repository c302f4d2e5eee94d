"""No N+1 in the deal API: the list and a deal run the same number of queries whatever
the page size or how much hangs off each deal."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.pipeline import actions


def queries_for(client: Any, url: str, **params: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **params)
    assert response.status_code == 200, response.content
    return len(captured), response


def rich_deal(make_deal: Any, owner: Any, n: int) -> Any:
    """A deal with products, competitors and contacts, so every relation has rows."""
    deal = make_deal(
        owner,
        products=[actions.get_or_create_product(f"Product {n % 3}")],
        competitors=[actions.create_competitor(None, f"Rival {n}")],
    )
    contact = actions.create_contact(deal.customer, None, name=f"Contact {n}")
    actions.add_deal_contact(deal, contact, "champion", None)
    return deal


def test_the_deal_list_is_constant_whatever_the_page_size(
    api_client, cast, make_deal, django_assert_num_queries
):
    # given
    for n in range(60):
        rich_deal(make_deal, cast.rita if n % 2 else cast.nico, n)
    client = api_client.as_user(cast.maya)
    client.get("/api/v1/deals")  # the token's first use is noted once

    # when
    few, small_page = queries_for(client, "/api/v1/deals", limit=5)

    # then
    assert len(small_page.json()["items"]) == 5
    with django_assert_num_queries(few):
        large_page = client.get("/api/v1/deals", limit=50, sort="amount", status="open")
    assert len(large_page.json()["items"]) == 50
    assert few <= 7, "token, teams, count, deals, products, competitors"


def test_a_deal_is_constant_whatever_hangs_off_it(
    api_client, cast, make_deal, stages, django_assert_num_queries
):
    # given
    bare = make_deal(cast.rita)
    rich = rich_deal(make_deal, cast.rita, 0)
    for n in range(1, 8):
        rich.products.add(actions.get_or_create_product(f"Extra {n}"))
        rich.competitors.add(actions.create_competitor(None, f"Extra rival {n}"))
        contact = actions.create_contact(rich.customer, None, name=f"Extra {n}")
        actions.add_deal_contact(rich, contact, "evaluator", None)
    for name in ("Qualification", "Discovery", "Proposal", "Negotiation"):
        actions.move_deal_stage(rich, cast.rita, stages[name])
    client = api_client.as_user(cast.rita)
    client.get("/api/v1/me")

    # when
    few, _ = queries_for(client, f"/api/v1/deals/{bare.pk}")

    # then
    with django_assert_num_queries(few):
        response = client.get(f"/api/v1/deals/{rich.pk}")
    assert len(response.json()["contacts"]) == 8
    short, _ = queries_for(client, f"/api/v1/deals/{bare.pk}/events", limit=100)
    with django_assert_num_queries(short):
        response = client.get(f"/api/v1/deals/{rich.pk}/events", limit=100)
    assert response.json()["count"] == 5
