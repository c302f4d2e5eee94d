"""Meeting outcomes: advance, qualified out, no outcome or not recorded, against "fewer than
1 in 5 meetings valuable"; and how many had a plan written before they began."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from debrief.insights.metrics import compute


def test_outcomes_and_plans(live: Any, make_deal: Any, rita: Any, adam: Any) -> None:
    from debrief.meetings import actions as meetings

    deal = make_deal(rita)
    with live():
        planned = meetings.schedule_meeting(
            deal, rita, title="Discovery", starts_at=timezone.now() + dt.timedelta(hours=2)
        )
        meetings.write_plan(planned, rita, best_outcome="A pilot agreed")
        unplanned = meetings.schedule_meeting(
            deal, rita, title="Check-in", starts_at=timezone.now() - dt.timedelta(days=1)
        )
        meetings.record_outcome(
            unplanned,
            rita,
            meetings.OutcomeInput(
                result="no_outcome",
                compared_with_plan="neither",
                valuable_for_customer="no",
                note="They had not read the proposal.",
            ),
        )
    # when
    result = compute(adam, "meeting-outcomes")
    # then
    assert {r["group"]: r["meetings"] for r in result.rows} == {
        "Significant advance": 0,
        "Qualified out": 0,
        "No outcome": 1,
        "Not recorded": 1,
    }
    assert result.overall["recorded"] == 1
    assert result.overall["valuable_share"] == 0.0
    assert result.overall["planned"] == 1
    assert result.benchmark is not None and result.benchmark["valuable_share"] == 0.2
