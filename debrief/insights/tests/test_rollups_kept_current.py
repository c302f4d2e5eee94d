"""The actions keep the rollups current: after any run of changes, what they hold is exactly
what `debrief insights rebuild` computes from scratch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management import call_command

from debrief.insights.metrics import compute
from debrief.insights.models import DayCount, Rollup


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    fields = ("metric", "dimension", "group", "month", "owner_id", "team_id", "key")
    rollups = sorted(Rollup.objects.values_list(*fields, "count", "amount", "unpriced"))
    days = sorted(DayCount.objects.values_list(*fields, "days", "count"))
    return rollups, days


def test_changes_leave_the_rollups_as_a_rebuild_would(
    close_deal: Any, live: Any, rita: Any, nico: Any, oscar: Any, adam: Any, stages: Any
) -> None:
    from debrief.losses import actions as losses
    from debrief.pipeline import actions as pipeline

    # given
    won = close_deal(rita, "won")
    lost = close_deal(oscar, "lost", reasons=("Price", "Timing"))
    reopened = close_deal(rita, "lost")
    open_deal = close_deal(nico, "open")
    # when: a reopening, a new amount, a new owner, a customer's new segment, a late loss
    with live():
        losses.reopen_deal(reopened, rita, stages["Proposal"])
        pipeline.update_deal(won, adam, amount=Decimal("99000"))
        pipeline.update_deal(open_deal, adam, owner=rita)
        pipeline.update_customer(lost.customer, adam, segment="Retail")
    close_deal(nico, "lost", reasons=("Timing",))
    incremental = _snapshot()
    # then
    assert compute(adam, "win-rate").overall == {
        "group": "All",
        "won": 1,
        "lost": 2,
        "win_rate": 0.3333,
        "open": 2,
    }
    call_command("insights", "rebuild", verbosity=0)
    assert _snapshot() == incremental


def test_a_reopened_loss_leaves_the_loss_figures(
    close_deal: Any, live: Any, rita: Any, adam: Any, stages: Any
) -> None:
    from debrief.losses import actions as losses

    # given
    deal = close_deal(rita, "lost", reasons=("Price",))
    assert compute(adam, "loss-reasons").rows[0]["losses"] == 1
    # when
    with live():
        losses.reopen_deal(deal, rita, stages["Proposal"])
    # then
    assert compute(adam, "loss-reasons").rows == []
    assert compute(adam, "win-rate").overall["open"] == 1
