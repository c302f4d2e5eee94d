"""The insights pages: an overview of every metric for everyone signed in, each metric's page
with a chart drawn on the server (benchmark included), a table, and pickers that change
grouping and period — as a whole page without script, and as a fragment to HTMX."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache

from debrief.insights.metrics import METRICS


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()  # the imported-column list is cached by the newest deal's id


@pytest.fixture
def book(close_deal: Any, rita: Any, nico: Any, oscar: Any, make_customer: Any) -> None:
    # given: North wins 3 and loses 2 this year; South wins 1 and loses 3; a deal in January
    # of last year for the period pickers
    retail = {"customer": make_customer(segment="Retail")}
    for owner, status, extra in (
        (rita, "won", retail),
        (rita, "won", {}),
        (rita, "lost", retail),
        (nico, "won", {}),
        (nico, "lost", {}),
        (oscar, "won", {}),
        (oscar, "lost", {}),
        (oscar, "lost", {}),
        (oscar, "lost", {}),
    ):
        close_deal(owner, status, **extra)
    long_ago = dt.date(dt.date.today().year - 1, 1, 15)
    close_deal(rita, "won", closed=long_ago, attributes={"Deal Size": "Large"})


def table(html: str) -> list[list[str]]:
    """The result table's body rows as cell texts."""
    body = re.search(
        r'<table class="data stack" id="insight-table">.*?<tbody>(.*?)</tbody>', html, re.S
    )
    assert body, "no result table"
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


@pytest.mark.parametrize("role", ["rita", "nico", "maya", "sam", "oscar", "ana", "adam"])
def test_everyone_signed_in_sees_the_overview_with_every_metric(client, cast, book, role):
    # given
    client.force_login(getattr(cast, role))
    # when
    response = client.get("/insights/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    for name, m in METRICS.items():
        assert f'id="card-{name}"' in html
        assert m.label in html
    assert "/exports/deals.csv" in html


def test_the_overview_needs_a_sign_in(client):
    assert client.get("/insights/").status_code == 302
    assert client.get("/insights/win-rate/").status_code == 302


def test_win_rate_page_draws_the_chart_with_the_benchmark_band_and_a_table(client, cast, book):
    # given
    client.force_login(cast.ana)
    # when
    response = client.get("/insights/win-rate/", {"by": "team"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    chart = re.search(r'<svg [^>]*class="chart-svg[^"]*".*?</svg>', html, re.S)
    assert chart, "an inline SVG chart"
    assert chart.group(0).split(">", 1)[0].count("class=") == 1
    assert "21–30% benchmark" in chart.group(0)
    assert "<script" not in chart.group(0) and "style=" not in chart.group(0)
    assert table(html) == [["North", "4", "2", "66.7%"], ["South", "1", "3", "25.0%"]]
    assert 'href="/insights/win-rate/export.csv?by=team"' in html


@pytest.mark.parametrize(
    ("role", "rows"),
    [
        ("rita", [["Rita Reyes", "3", "1", "75.0%"]]),
        ("maya", [["Nico Nowak", "1", "1", "50.0%"], ["Rita Reyes", "3", "1", "75.0%"]]),
        ("oscar", [["Oscar Olsen", "1", "3", "25.0%"]]),
    ],
)
def test_each_role_sees_the_figures_it_may_see(client, cast, book, role, rows):
    client.force_login(getattr(cast, role))
    html = client.get("/insights/win-rate/", {"by": "owner"}).content.decode()
    assert table(html) == rows


def test_a_period_narrows_the_figures(client, cast, book):
    # given
    client.force_login(cast.rita)
    year = dt.date.today().year - 1
    # when
    html = client.get(
        "/insights/win-rate/", {"by": "owner", "from": f"{year}-01-01", "to": f"{year}-12-31"}
    ).content.decode()
    # then
    assert table(html) == [["Rita Reyes", "1", "0", "100.0%"]]
    assert f"1 Jan {year} to 31 Dec {year}" in html


def test_a_preset_becomes_its_dates(client, cast, book):
    # given
    client.force_login(cast.rita)
    today = dt.date.today()
    # when
    response = client.get("/insights/win-rate/", {"preset": "this-year"})
    # then
    html = response.content.decode()
    assert f'value="{today.year}-01-01"' in html and f'value="{today.year}-12-31"' in html
    assert "/insights/win-rate/export.csv?from=" in html


def test_htmx_gets_the_chart_and_table_only_with_the_address_to_show(client, cast, book):
    # given
    client.force_login(cast.maya)
    # when
    response = client.get(
        "/insights/win-rate/",
        {"by": "owner", "preset": "this-year"},
        headers={"HX-Request": "true"},
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="insight-table"' in html
    assert 'hx-swap-oob="true"' in html  # the dates the preset stood for
    assert response["HX-Push-Url"].startswith("/insights/win-rate/?by=owner&from=")
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_the_dimension_picker_lists_imported_columns(client, cast, book):
    # given
    client.force_login(cast.adam)
    # when
    html = client.get("/insights/win-rate/").content.decode()
    # then
    assert '<option value="attr:Deal Size">Deal Size (imported)</option>' in html
    grouped = client.get("/insights/win-rate/", {"by": "attr:Deal Size"}).content.decode()
    assert ["Large", "1", "0", "100.0%"] in table(grouped)


def test_too_few_deals_are_said_plainly(client, cast, book):
    client.force_login(cast.rita)
    html = client.get("/insights/win-rate/").content.decode()
    assert "Too few to tell: fewer than 20 closed deals" in html


def test_every_metric_page_renders_for_a_manager(client, cast, book):
    client.force_login(cast.maya)
    for name in METRICS:
        response = client.get(f"/insights/{name}/")
        assert response.status_code == 200, name
        assert 'id="csv-link"' in response.content.decode(), name


def test_bad_pickers_say_what_is_wrong(client, cast, book):
    # given
    client.force_login(cast.maya)
    # when
    backwards = client.get("/insights/win-rate/", {"from": "2025-06-01", "to": "2025-01-01"})
    no_such = client.get("/insights/win-rate/", {"by": "shoe-size"})
    over_htmx = client.get(
        "/insights/win-rate/",
        {"from": "2025-06-01", "to": "2025-01-01"},
        headers={"HX-Request": "true"},
    )
    # then
    assert backwards.status_code == 400
    assert "The end of the period is before its start." in backwards.content.decode()
    assert no_such.status_code == 400
    assert over_htmx.status_code == 200  # HTMX swaps only 2xx: the errors come as a fragment
    assert "The end of the period is before its start." in over_htmx.content.decode()
    assert client.get("/insights/no-such-metric/").status_code == 404


def test_the_overview_follows_the_period(client, cast, book):
    # given
    client.force_login(cast.rita)
    year = dt.date.today().year - 1
    # when
    html = client.get("/insights/", {"from": f"{year}-01-01", "to": f"{year}-12-31"}).content
    partial = client.get("/insights/", {"preset": "this-year"}, headers={"HX-Request": "true"})
    # then
    card = re.search(r'id="card-win-rate">(.*?)</a>', html.decode(), re.S)
    assert card and "100.0%" in card.group(1) and "1 won of 1 closed" in card.group(1)
    assert "<html" not in partial.content.decode()
    assert partial["HX-Push-Url"].startswith("/insights/?from=")
    assert 'hx-swap-oob="true"' in partial.content.decode()
