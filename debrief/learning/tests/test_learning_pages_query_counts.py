"""No N+1: the retro page, the playbook, the checklist, review my funnel, adoption and the
effect view run the same number of queries whatever the number of proposals, practices,
matches and deals."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.learning import actions
from debrief.learning.tests.page_helpers import grow_north, lose, north_retro, published
from debrief.losses import actions as loss_actions
from debrief.losses.models import LossReason
from debrief.pipeline import actions as pipeline_actions

PAGES = [
    "/practices/",
    "/practices/to-apply/",
    "/practices/review-my-funnel/",
    "/practices/adoption/",
    "/practices/effect/",
    "/retros/",
]


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_practice(cast: Any, north: Any, make_deal: Any, stages: Any, n: int) -> None:
    """A practice, two of rita's deals it matches (one applied and won), and a retro."""
    deals = [make_deal(cast.rita, stage=stages["Proposal"]) for _ in range(2)]
    practice = published(
        cast.maya, north, f"Practice {n}", stages=[stages["Proposal"]], keywords=""
    )
    match = practice.matches.get(deal=deals[0])
    actions.apply_match(match, cast.rita, note="Did it")
    pipeline_actions.move_deal_stage(deals[0], None, stages["Closed Won"])
    north_retro(cast, north, make_deal)


@pytest.mark.parametrize("who", ["rita", "maya"])
def test_the_learning_lists_are_constant(client, cast, north, make_deal, stages, who):
    # given one of everything
    add_practice(cast, north, make_deal, stages, 0)
    client.force_login(getattr(cast, who))
    pages = [p for p in PAGES if who == "maya" or "adoption" not in p]
    few = {url: queries_for(client, url) for url in pages}

    # when there are four times as many
    for n in range(1, 4):
        add_practice(cast, north, make_deal, stages, n)

    # then each page costs the same
    assert {url: queries_for(client, url) for url in pages} == few


def test_the_retro_page_is_constant(client, cast, north, make_deal):
    # given a retro of three on one lost deal with one proposal
    people = [cast.maya, cast.rita, cast.nico]
    retro = north_retro(cast, north, make_deal, attendees=people)
    actions.propose(retro, cast.rita, statement="Proposal 0")
    client.force_login(cast.maya)
    few = queries_for(client, f"/retros/{retro.pk}/")

    # when it has seven attendees, three lost deals with reviews and lessons, more proposals
    more = grow_north(north)
    bigger = actions.open_retro(
        cast.maya,
        team=north,
        title="Bigger",
        deals=[lose(make_deal(cast.rita), cast.rita) for _ in range(3)],
        attendees=[*people, *more],
    )
    for deal in bigger.deals.all():
        loss = deal.losses.get()
        review = loss_actions.write_own_it_review(
            loss.own_it,
            cast.rita,
            could_have_done_differently="Called finance",
            will_do_next_time="Call finance",
            decisive_reason=LossReason.objects.get(name="Price"),
        )
        loss_actions.record_lesson(
            cast.rita, loss_actions.LessonInput(statement="Call finance"), own_it=review
        )
    for n in range(4):
        actions.propose(bigger, cast.rita, statement=f"Proposal {n}")

    # then it costs the same
    assert queries_for(client, f"/retros/{bigger.pk}/") == few
