"""No N+1 in the loss loop's API: each list runs the same number of queries for a page of
two items as for a page of twelve, however much hangs off each item."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.losses import actions
from debrief.losses.tests.api_helpers import lose, reason
from debrief.pipeline import actions as pipeline_actions


def queries_for(client: Any, url: str, **params: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **params)
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == params["limit"]
    return len(captured)


@pytest.fixture
def losses(cast, make_deal):
    for n in range(12):
        rival = pipeline_actions.create_competitor(None, f"Rival {n}")
        deal = make_deal(cast.rita if n % 2 else cast.nico, competitors=[rival])
        loss = lose(deal, deal.owner, reasons=("Price", "Timing"), days_ago=3)
        debrief = loss.debrief
        actions.record_debrief_answers(
            debrief, deal.owner, [actions.AnswerInput(q, f"Answer {q}") for q in range(1, 6)]
        )
        debrief = actions.mark_debrief_held(debrief, deal.owner)
        actions.record_lesson(
            deal.owner, actions.LessonInput(statement=f"Lesson {n}"), debrief=debrief
        )
        actions.write_own_it_review(
            loss.own_it,
            deal.owner,
            could_have_done_differently="I",
            will_do_next_time="I",
            decisive_reason=reason("Timing"),
        )


@pytest.mark.parametrize(
    "url", ["/api/v1/losses", "/api/v1/debriefs", "/api/v1/own-it-reviews", "/api/v1/lessons"]
)
def test_a_list_is_constant_whatever_the_page_size(
    api_client, cast, losses, url, django_assert_num_queries
):
    # given
    client = api_client.as_user(cast.maya)
    client.get("/api/v1/me")  # the token's first use is noted once

    # when
    few = queries_for(client, url, limit=2)

    # then
    assert few <= 8
    with django_assert_num_queries(few):
        client.get(url, limit=12)
