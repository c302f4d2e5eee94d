"""Dashboards read rollups only: computing every metric costs the same number of queries
however many deals there are."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.insights.metrics import METRICS, compute


def _queries_for_all_metrics(user: Any) -> tuple[int, int]:
    user = type(user).objects.get(pk=user.pk)  # as a new request would load it
    with CaptureQueriesContext(connection) as ctx:
        rows = sum(len(compute(user, name).rows) for name in METRICS)
        compute(user, "win-rate", by="owner")
        compute(user, "win-rate", by="segment")
    return len(ctx), rows


def test_query_count_does_not_grow_with_deals(
    close_deal: Any, rita: Any, nico: Any, maya: Any, adam: Any
) -> None:
    # given: a few deals
    for status in ("won", "lost", "open"):
        close_deal(rita, status)
    few_admin, _ = _queries_for_all_metrics(adam)
    few_manager, _ = _queries_for_all_metrics(maya)
    # when: many more deals, in the same groups
    for _ in range(6):
        for owner in (rita, nico):
            for status in ("won", "lost", "open"):
                close_deal(owner, status)
    # then
    assert _queries_for_all_metrics(adam)[0] == few_admin
    assert _queries_for_all_metrics(maya)[0] == few_manager
