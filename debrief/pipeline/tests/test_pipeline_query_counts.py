"""No N+1: the pipeline list, the customer list and the deal page run the same number of
queries whatever the number of deals or the length of a deal's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.pipeline import actions
from debrief.pipeline.tests.pages import customer_names, deal_names


def queries_for(client: Any, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def add_deals(make_deal: Any, owners: list[Any], competitor: Any, count: int) -> None:
    for n in range(count):
        deal = make_deal(
            owners[n % len(owners)],
            products=[actions.get_or_create_product(f"Product {n % 4}")],
            competitors=[competitor],
        )
        contact = actions.create_contact(deal.customer, None, name=f"Contact {n}")
        actions.add_deal_contact(deal, contact, "champion", None)


def test_the_pipeline_list_is_constant(client, cast, make_deal, django_assert_num_queries):
    # given
    competitor = actions.create_competitor(None, "Rival")
    add_deals(make_deal, [cast.rita, cast.nico], competitor, 3)
    client.force_login(cast.maya)
    client.get("/deals/")
    few, response = queries_for(client, "/deals/?sort=amount")
    assert len(deal_names(response)) == 3

    # when
    add_deals(make_deal, [cast.rita, cast.nico], competitor, 27)

    # then
    with django_assert_num_queries(few):
        response = client.get("/deals/?sort=amount")
    assert len(deal_names(response)) == 30
    with django_assert_num_queries(few - 5):
        # the HTMX partial skips the filter form's choice lists
        client.get("/deals/?sort=amount", headers={"HX-Request": "true"})


def test_the_customer_list_is_constant(client, cast, make_deal, django_assert_num_queries):
    # given
    competitor = actions.create_competitor(None, "Rival")
    add_deals(make_deal, [cast.rita], competitor, 3)
    client.force_login(cast.rita)
    few, response = queries_for(client, "/customers/")
    assert len(customer_names(response)) == 3

    # when
    add_deals(make_deal, [cast.rita], competitor, 27)

    # then
    with django_assert_num_queries(few):
        response = client.get("/customers/")
    assert len(customer_names(response)) == 30


def test_the_competitor_list_is_constant(client, cast, make_deal, django_assert_num_queries):
    # given
    competitor = actions.create_competitor(None, "Rival")
    add_deals(make_deal, [cast.rita], competitor, 3)
    client.force_login(cast.rita)
    few, _ = queries_for(client, "/competitors/")

    # when
    for n in range(20):
        actions.create_competitor(None, f"Rival {n}")
    add_deals(make_deal, [cast.rita], competitor, 10)

    # then
    with django_assert_num_queries(few):
        client.get("/competitors/")


def test_the_deal_page_is_constant_whatever_the_history(
    client, cast, make_deal, stages, django_assert_num_queries
):
    # given a deal with 2 events, and one with 60, each with contacts, products, competitors
    competitor = actions.create_competitor(None, "Rival")
    short = make_deal(cast.rita, competitors=[competitor])
    long = make_deal(
        cast.rita,
        competitors=[competitor],
        products=[actions.get_or_create_product("A"), actions.get_or_create_product("B")],
        attributes={"Imported": "yes"},
    )
    actions.move_deal_stage(short, cast.rita, stages["Qualification"])
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    for n in range(59):
        stage = stages["Discovery"] if n % 2 == 0 else stages["Qualification"]
        actions.move_deal_stage(long, cast.rita, stage, at=start + dt.timedelta(hours=n))
    for n in range(5):
        contact = actions.create_contact(long.customer, None, name=f"Contact {n}")
        actions.add_deal_contact(long, contact, "evaluator", None)
    assert long.events.count() == 60
    client.force_login(cast.maya)
    short_count, _ = queries_for(client, f"/deals/{short.pk}/")

    # then
    with django_assert_num_queries(short_count):
        response = client.get(f"/deals/{long.pk}/")
    assert response.content.decode().count('<li class="ev-') == 60
