"""An export costs the same few queries however many records it holds: lists such as a
deal's products or a loss's reasons are joined in the database, not fetched per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.losses import actions as loss_actions
from debrief.pipeline import actions as pipeline_actions

KINDS = ("deals", "losses", "debriefs", "lessons")


def queries_to_export(client: Any, kind: str) -> tuple[int, int]:
    """(queries, rows) to download one export, its streamed body read to the end."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/exports/{kind}.csv")
        body = b"".join(response.streaming_content)
    return len(ctx), body.count(b"\r\n") - 1


def add_book(cast: Any, close_deal: Any, n: int) -> None:
    rival = pipeline_actions.create_competitor(None, f"Rival {n}")
    for i in range(n):
        deal = close_deal(cast.rita, "lost", reasons=("Price", "Timing"), competitors=(rival,))
        close_deal(cast.nico, "won", name=f"Won {n}-{i}")
        review = loss_actions.write_own_it_review(
            deal.losses.get().own_it,
            cast.rita,
            could_have_done_differently="Call finance",
            will_do_next_time="Ask about budget",
            decisive_reason=None,
        )
        loss_actions.record_lesson(
            cast.rita, loss_actions.LessonInput(statement=f"Lesson {n}-{i}"), own_it=review
        )


@pytest.mark.parametrize("kind", KINDS)
def test_export_queries_do_not_grow_with_the_data(client, cast, close_deal, kind):
    # given
    client.force_login(cast.maya)
    add_book(cast, close_deal, 2)
    few_queries, few_rows = queries_to_export(client, kind)
    # when
    add_book(cast, close_deal, 10)
    many_queries, many_rows = queries_to_export(client, kind)
    # then
    assert many_rows > few_rows
    assert many_queries == few_queries
