"""The learning lists read a page in a fixed number of queries, whatever its length: no
query per retro, per practice or per match."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from debrief.learning import actions
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.pipeline.actions import create_competitor


def _grow(cast, north, make_deal, stages, n):
    """n more retros, practices and matches of North."""
    acme = create_competitor(None, f"Acme {n}")
    for i in range(n):
        lost = make_deal(cast.rita)
        mark_deal_lost(
            lost,
            cast.rita,
            LossInput(
                outcome_type=OutcomeType.objects.first(),
                reasons=[LossReason.objects.get(name="Price")],
            ),
        )
        retro = actions.open_retro(
            cast.maya, team=north, title=f"R{i}", deals=[lost], attendees=[cast.rita, cast.nico]
        )
        actions.propose(retro, cast.rita, statement=f"Idea {i}")
        practice = actions.write_practice(
            cast.maya,
            actions.PracticeInput(
                statement=f"Practice {i}", stages=[stages["Proposal"]], competitors=[acme]
            ),
            team=north,
        )
        actions.publish_practice(practice, cast.maya)
        deal = make_deal(cast.rita, stage=stages["Proposal"])
        deal.competitors.add(acme)
        actions.rematch_deal(deal)


def _count(api, url):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_lists_do_not_grow_with_their_items(api_client, cast, north, make_deal, stages):
    urls = ("/api/v1/retros", "/api/v1/practices", "/api/v1/practice-matches")
    # given one of each
    _grow(cast, north, make_deal, stages, 1)
    api = api_client.as_user(cast.maya)
    api.get("/api/v1/me")  # the token's first use is recorded once: not part of a list
    before = {url: _count(api, url) for url in urls}

    # when there are more
    _grow(cast, north, make_deal, stages, 3)
    after = {url: _count(api, url) for url in urls}

    # then each list has more items for the same number of queries
    for url in urls:
        assert after[url][1] > before[url][1], url
        assert after[url][0] == before[url][0], url
