"""Fixtures for the insights tests: closed deals made through the real actions, with the
rollups kept current the way they are in production (the on-commit signals run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone


@pytest.fixture
def live(django_capture_on_commit_callbacks: Any) -> Any:
    """`with live():` runs what the actions inside send on commit (deal_changed...), as in
    production, where the test's transaction would otherwise hold it back."""

    @contextmanager
    def run() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return run


@pytest.fixture
def close_deal(make_deal: Any, stages: dict[str, Any], live: Any) -> Any:
    """close_deal(owner, "won" | "lost" | "open", created=date, closed=date, **fields)."""
    from debrief.losses import actions as losses
    from debrief.losses.models import LossReason, OutcomeType
    from debrief.pipeline import actions as pipeline

    def close(
        owner: Any,
        status: str,
        *,
        created: dt.date | None = None,
        closed: dt.date | None = None,
        reasons: tuple[str, ...] = ("Price",),
        outcome: str = "Lost to a competitor",
        competitors: tuple[Any, ...] = (),
        **fields: Any,
    ) -> Any:
        with live():
            return _close(owner, status, created, closed, reasons, outcome, competitors, fields)

    def _close(
        owner: Any,
        status: str,
        created: dt.date | None,
        closed: dt.date | None,
        reasons: tuple[str, ...],
        outcome: str,
        competitors: tuple[Any, ...],
        fields: dict[str, Any],
    ) -> Any:
        closed = closed or timezone.localdate()
        created = created or closed - dt.timedelta(days=30)
        at = timezone.make_aware(dt.datetime.combine(created, dt.time(12)))
        deal = make_deal(owner, created_at=at, **fields)
        when = timezone.make_aware(dt.datetime.combine(closed, dt.time(12)))
        if status == "won":
            pipeline.move_deal_stage(deal, owner, stages["Closed Won"], at=when)
        elif status == "lost":
            losses.mark_deal_lost(
                deal,
                owner,
                losses.LossInput(
                    outcome_type=OutcomeType.objects.get(name=outcome),
                    reasons=[LossReason.objects.get(name=r) for r in reasons],
                    primary_reason=LossReason.objects.get(name=reasons[0]) if reasons else None,
                    competitors=competitors,
                    lost_on=closed,
                ),
            )
        deal.refresh_from_db()
        return deal

    return close


def money(value: str) -> Decimal:
    return Decimal(value)
