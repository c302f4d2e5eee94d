"""Sales-cycle days (created → closed): median, mean and p90, exact, for won and lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from debrief.insights.metrics import compute


def test_median_mean_and_p90_are_exact(close_deal: Any, rita: Any, adam: Any) -> None:
    # given: won after 10, 20, 30 and 100 days; lost after 5
    closed = dt.date(2025, 6, 30)
    for days in (10, 20, 30, 100):
        close_deal(rita, "won", created=closed - dt.timedelta(days=days), closed=closed)
    close_deal(rita, "lost", created=closed - dt.timedelta(days=5), closed=closed)
    # when
    result = compute(adam, "sales-cycle")
    # then
    rows = {r["group"]: r for r in result.rows}
    assert rows["won"] == {"group": "won", "deals": 4, "median": 25, "mean": 40.0, "p90": 100}
    assert rows["lost"]["median"] == 5
    assert rows["without bad meeting"]["deals"] == 5
    assert rows["with bad meeting"]["deals"] == 0
    assert result.overall["median"] == 20 and result.overall["p90"] == 100


def test_by_owner(close_deal: Any, rita: Any, nico: Any, maya: Any) -> None:
    closed = dt.date(2025, 6, 30)
    close_deal(rita, "won", created=closed - dt.timedelta(days=7), closed=closed)
    close_deal(nico, "lost", created=closed - dt.timedelta(days=9), closed=closed)
    result = compute(maya, "sales-cycle", by="owner")
    assert [(r["group"], r["status"], r["median"]) for r in result.rows] == [
        ("Nico Nowak", "lost", 9),
        ("Rita Reyes", "won", 7),
    ]
