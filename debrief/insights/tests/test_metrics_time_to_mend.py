"""Time to mend: each damage episode of a relationship, from first strained or broken to
restored (weeks, months, years) or lost for good (never), kept current by the status action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from debrief.insights.metrics import compute


def test_episodes_are_bucketed_by_how_long_they_took(
    live: Any, make_customer: Any, rita: Any, adam: Any, north: Any
) -> None:
    from debrief.relationships.actions import change_status

    start = timezone.now() - dt.timedelta(days=800)

    def episode(*steps: tuple[str, int]) -> None:
        customer = make_customer(owner=rita, team=north)
        for status, day in steps:
            change_status(customer, adam, status, at=start + dt.timedelta(days=day))

    # given
    with live():
        episode(("strained", 0), ("restored", 10))  # weeks
        episode(("broken", 0), ("recovering", 20), ("restored", 45))  # months
        episode(("strained", 0), ("broken", 30), ("restored", 400))  # years
        episode(("broken", 0), ("lost_for_good", 90))  # never
        episode(("strained", 0))  # still damaged
    # when
    result = compute(adam, "time-to-mend")
    # then
    assert {r["group"]: r["relationships"] for r in result.rows} == {
        "Weeks": 1,
        "Months": 1,
        "Years": 1,
        "Never": 1,
    }
    assert result.overall["still_damaged"] == 1
    assert result.overall["months_to_years_share"] == 0.5
    assert result.overall["median_days"] == 45
    assert compute(rita, "time-to-mend").overall["finished"] == 4
