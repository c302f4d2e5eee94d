"""`GET /api/v1/deals` filters exactly as the pipeline page does (one DealFilters serves
both), and a bad filter value is refused naming its parameter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from debrief.pipeline import actions


@pytest.fixture
def pipeline(cast: Any, make_deal: Any, make_customer: Any, stages: Any) -> dict[str, Any]:
    north = cast.rita.teams.get()
    acme = make_customer(name="Acme Freight", team=north)
    won = make_deal(cast.rita, name="Won deal", customer=acme, amount=Decimal("90000"))
    actions.move_deal_stage(won, None, stages["Closed Won"])
    return {
        "acme": acme,
        "small": make_deal(
            cast.rita,
            name="Small pilot",
            amount=Decimal("5000"),
            expected_close_date=dt.date(2030, 3, 15),
        ),
        "big": make_deal(
            cast.nico,
            name="Big rollout",
            amount=Decimal("250000"),
            stage=stages["Proposal"],
            expected_close_date=dt.date(2030, 9, 30),
        ),
        "south": make_deal(cast.oscar, name="Southern deal", amount=Decimal("40000")),
        "won": won,
    }


def names(api_client: Any, user: Any, **params: Any) -> list[str]:
    response = api_client.as_user(user).get("/api/v1/deals", **params)
    assert response.status_code == 200, response.content
    return [d["name"] for d in response.json()["items"]]


def test_q_searches_deal_and_customer_names(api_client, cast, pipeline):
    assert names(api_client, cast.adam, q="pilot") == ["Small pilot"]
    assert names(api_client, cast.adam, q="acme") == ["Won deal"]


def test_owner_team_and_customer(api_client, cast, pipeline):
    south = cast.oscar.teams.get()
    assert set(names(api_client, cast.adam, owner=cast.nico.pk)) == {"Big rollout"}
    assert names(api_client, cast.adam, team=south.pk) == ["Southern deal"]
    assert names(api_client, cast.adam, customer=pipeline["acme"].pk) == ["Won deal"]


def test_stage_and_status(api_client, cast, pipeline, stages):
    assert names(api_client, cast.adam, stage=stages["Proposal"].pk) == ["Big rollout"]
    assert names(api_client, cast.adam, status="won") == ["Won deal"]
    assert set(names(api_client, cast.adam, status="open")) == {
        "Small pilot",
        "Big rollout",
        "Southern deal",
    }


def test_amount_range(api_client, cast, pipeline):
    assert set(names(api_client, cast.adam, amount_min="40000", amount_max="100000")) == {
        "Southern deal",
        "Won deal",
    }


def test_close_period(api_client, cast, pipeline):
    # an open deal by its expected close date, a closed one by the day it closed
    today = timezone.localdate().isoformat()
    assert names(api_client, cast.adam, close_from="2030-01-01", close_to="2030-06-30") == [
        "Small pilot"
    ]
    assert names(api_client, cast.adam, close_from="2030-07-01") == ["Big rollout"]
    assert names(api_client, cast.adam, close_from=today, close_to=today) == ["Won deal"]


def test_sort(api_client, cast, pipeline):
    assert names(api_client, cast.adam, sort="amount")[:2] == ["Big rollout", "Won deal"]
    assert names(api_client, cast.adam, sort="name")[0] == "Big rollout"


def test_filters_never_widen_what_the_user_sees(api_client, cast, pipeline):
    south = cast.oscar.teams.get()
    assert names(api_client, cast.rita, team=south.pk) == []
    assert names(api_client, cast.rita, owner=cast.nico.pk) == []


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("owner", "rita"),
        ("team", "1.5"),
        ("stage", "x"),
        ("customer", "?"),
        ("status", "pending"),
        ("amount_min", "lots"),
        ("amount_max", "NaN"),
        ("close_from", "2026-13-01"),
        ("close_to", "yesterday"),
        ("sort", "random"),
        ("limit", "0"),
        ("limit", "501"),
        ("offset", "-1"),
    ],
)
def test_a_bad_filter_value_names_its_parameter(api_client, cast, pipeline, param, value):
    # when
    response = api_client.as_user(cast.rita).get("/api/v1/deals", **{param: value})

    # then
    assert response.status_code == 422, response.content
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [param]
    assert param in body["detail"]
