"""Loss reasons by count and value, outcome types, competitors and the loop's health, read
from the loss records the actions wrote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from debrief.insights.metrics import compute


def test_loss_reasons_outcomes_and_competitors(
    close_deal: Any, rita: Any, oscar: Any, adam: Any
) -> None:
    from debrief.pipeline import actions as pipeline

    rival = pipeline.create_competitor(None, "Rival Inc")
    # given
    close_deal(rita, "lost", reasons=("Price", "Timing"), amount=Decimal("1000"))
    close_deal(rita, "lost", reasons=("Price",), amount=Decimal("500"), competitors=(rival,))
    close_deal(oscar, "lost", reasons=("Timing",), amount=Decimal("200"), outcome="No decision")
    close_deal(oscar, "won")
    # when
    reasons = compute(adam, "loss-reasons")
    outcomes = compute(adam, "outcome-types")
    competitors = compute(adam, "competitors")
    # then
    assert [(r["group"], r["losses"], r["value"]) for r in reasons.rows] == [
        ("Price", 2, "1500.00"),
        ("Timing", 2, "1200.00"),
    ]
    assert reasons.rows[0]["share"] == 0.6667
    assert {r["group"]: r["losses"] for r in outcomes.rows} == {
        "Lost to a competitor": 2,
        "No decision": 1,
    }
    assert {r["group"]: (r["losses"], r["value"]) for r in competitors.rows} == {
        "(none)": (2, "1200.00"),
        "Rival Inc": (1, "500.00"),
    }
    # and a rep sees their own losses only
    assert [(r["group"], r["losses"]) for r in compute(rita, "loss-reasons").rows] == [
        ("Price", 2),
        ("Timing", 1),
    ]


def test_loop_health_counts_losses_with_a_reason(close_deal: Any, rita: Any, adam: Any) -> None:
    # given
    close_deal(rita, "lost", reasons=("Price",), closed=dt.date.today() - dt.timedelta(days=3))
    close_deal(rita, "lost", reasons=("Timing",))
    # when
    result = compute(adam, "loop-health")
    # then
    assert result.overall["losses"] == 2
    assert result.overall["with_reason_share"] == 1.0
    assert result.rows[0]["group"] == "Losses with a reason"
    assert result.too_few
