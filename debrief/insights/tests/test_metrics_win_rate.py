"""Win rate = won / (won + lost), open deals left out, overall and by a dimension, scoped to
what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from debrief.insights.metrics import MetricError, compute


@pytest.fixture
def book(close_deal: Any, rita: Any, nico: Any, oscar: Any, make_customer: Any) -> None:
    # given: North sells 3 and loses 2 (rita 2/1, nico 1/1), South sells 1 and loses 3
    retail = {"customer": make_customer(segment="Retail", region="EMEA")}
    for owner, status, extra in (
        (rita, "won", retail),
        (rita, "won", {}),
        (rita, "lost", retail),
        (rita, "open", {}),
        (nico, "won", {}),
        (nico, "lost", {}),
        (oscar, "won", {}),
        (oscar, "lost", {}),
        (oscar, "lost", {}),
        (oscar, "lost", {}),
    ):
        close_deal(owner, status, **extra)


def test_overall_leaves_open_deals_out(book: None, adam: Any) -> None:
    # when
    result = compute(adam, "win-rate")
    # then
    assert result.overall == {"group": "All", "won": 4, "lost": 5, "win_rate": 0.4444, "open": 1}
    assert result.rows == []
    assert result.benchmark is not None and result.benchmark["low"] == 0.21


def test_by_owner_sorted_by_group(book: None, ana: Any) -> None:
    result = compute(ana, "win-rate", by="owner")
    assert [(r["group"], r["won"], r["lost"], r["win_rate"]) for r in result.rows] == [
        ("Nico Nowak", 1, 1, 0.5),
        ("Oscar Olsen", 1, 3, 0.25),
        ("Rita Reyes", 2, 1, 0.6667),
    ]


def test_by_segment_and_team(book: None, adam: Any) -> None:
    by_segment = {
        r["group"]: (r["won"], r["lost"]) for r in compute(adam, "win-rate", by="segment").rows
    }
    by_team = {r["group"]: (r["won"], r["lost"]) for r in compute(adam, "win-rate", by="team").rows}
    assert by_segment == {"Manufacturing": (3, 4), "Retail": (1, 1)}
    assert by_team == {"North": (3, 2), "South": (1, 3)}


def test_a_rep_sees_their_own_a_manager_their_team(
    book: None, rita: Any, maya: Any, sam: Any
) -> None:
    assert compute(rita, "win-rate").overall["won"] == 2
    assert compute(rita, "win-rate").overall["lost"] == 1
    assert (
        compute(maya, "win-rate").overall["won"],
        compute(maya, "win-rate").overall["lost"],
    ) == (3, 2)
    assert (compute(sam, "win-rate").overall["won"], compute(sam, "win-rate").overall["lost"]) == (
        1,
        3,
    )


def test_period_counts_deals_by_the_month_they_closed(
    close_deal: Any, rita: Any, adam: Any
) -> None:
    # given
    close_deal(rita, "won", closed=dt.date(2025, 1, 15))
    close_deal(rita, "lost", closed=dt.date(2025, 2, 3))
    close_deal(rita, "lost", closed=dt.date(2025, 4, 30))
    # when
    result = compute(
        adam, "win-rate", by="month", start=dt.date(2025, 1, 1), end=dt.date(2025, 2, 28)
    )
    # then
    assert [(r["group"], r["won"], r["lost"]) for r in result.rows] == [
        ("2025-01", 1, 0),
        ("2025-02", 0, 1),
    ]
    assert compute(adam, "win-rate", by="quarter").rows[0]["group"] == "2025-Q1"


def test_unknown_dimension_is_refused(adam: Any) -> None:
    with pytest.raises(MetricError, match="cannot be grouped by 'colour'"):
        compute(adam, "win-rate", by="colour")
    with pytest.raises(MetricError, match="Unknown metric"):
        compute(adam, "profit")


def test_quarters_follow_the_organisations_fiscal_year(db):
    from debrief.insights.metrics import _fiscal_quarter

    assert _fiscal_quarter(dt.date(2026, 2, 1), 1) == "2026-Q1"
    # A fiscal year starting in April, named by the year it ends in.
    assert _fiscal_quarter(dt.date(2026, 4, 1), 4) == "FY2027-Q1"
    assert _fiscal_quarter(dt.date(2027, 3, 1), 4) == "FY2027-Q4"
    assert _fiscal_quarter(dt.date(2026, 12, 1), 10) == "FY2027-Q1"
