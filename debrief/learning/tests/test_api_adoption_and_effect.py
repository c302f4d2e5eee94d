"""A manager sees adoption per rep and per practice, and whether applying a practice worked:
win rates of closed deals where it was applied versus not, with Wilson intervals, saying
plainly when there are too few deals to tell."""

from __future__ import annotations

import pytest

from debrief.learning import actions
from debrief.learning.models import PracticeMatch
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.pipeline.actions import move_deal_stage


@pytest.fixture
def practice(cast, north, stages):
    practice = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Confirm the budget", stages=[stages["Proposal"]]),
        team=north,
    )
    return actions.publish_practice(practice, cast.maya)


def _matched(make_deal, owner, stage):
    deal = make_deal(owner, stage=stage)
    actions.rematch_deal(deal)
    return deal, PracticeMatch.objects.get(deal=deal)


def test_adoption_per_rep_and_per_practice(api_client, cast, practice, make_deal, stages):
    # given Rita applied one of two matches and Nico dismissed his only one
    _, first = _matched(make_deal, cast.rita, stages["Proposal"])
    _matched(make_deal, cast.rita, stages["Proposal"])
    _, nicos = _matched(make_deal, cast.nico, stages["Proposal"])
    actions.apply_match(first, cast.rita, note="Done")
    actions.dismiss_match(nicos, cast.nico, why="No budget owner")
    api = api_client.as_user(cast.maya)

    # when
    by_rep = api.get("/api/v1/practice-matches/adoption", by="rep").json()
    by_practice = api.get("/api/v1/practice-matches/adoption", by="practice").json()
    ritas_own = api_client.as_user(cast.rita).get("/api/v1/practice-matches/adoption").json()

    # then
    rita = next(r for r in by_rep["items"] if r["id"] == cast.rita.pk)
    nico = next(r for r in by_rep["items"] if r["id"] == cast.nico.pk)
    assert (rita["total"], rita["applied"], rita["to_do"], rita["acted_on"]) == (2, 1, 1, 0.5)
    assert (nico["total"], nico["not_relevant"], nico["acted_on"]) == (1, 1, 1.0)
    assert by_practice["items"] == [
        {
            "id": practice.pk,
            "name": "Confirm the budget",
            "total": 3,
            "applied": 1,
            "not_relevant": 1,
            "to_do": 1,
            "acted_on": pytest.approx(2 / 3),
        }
    ]
    assert [r["id"] for r in ritas_own["items"]] == [cast.rita.pk]


def test_the_effect_compares_applied_with_not_applied_and_says_when_it_is_too_early(
    api_client, cast, practice, make_deal, stages
):
    # given two applied deals won, one applied lost, one matched but not applied lost
    closed = [_matched(make_deal, cast.rita, stages["Proposal"]) for _ in range(4)]
    for _, match in closed[:3]:
        actions.apply_match(match, cast.rita, note="Asked for the budget")
    for deal, _ in closed[:2]:
        move_deal_stage(deal, cast.rita, stages["Closed Won"])
    for deal, _ in closed[2:]:
        mark_deal_lost(
            deal,
            cast.rita,
            LossInput(
                outcome_type=OutcomeType.objects.first(),
                reasons=[LossReason.objects.get(name="Price")],
            ),
        )

    # when
    overall = api_client.as_user(cast.maya).get("/api/v1/practice-matches/effect").json()
    one = api_client.as_user(cast.maya).get(f"/api/v1/practices/{practice.pk}/effect").json()

    # then
    applied, not_applied = overall["overall"]["applied"], overall["overall"]["not_applied"]
    assert (applied["won"], applied["lost"], applied["closed"]) == (2, 1, 3)
    assert applied["win_rate"] == pytest.approx(2 / 3)
    low, high = applied["interval"]
    assert 0 < low < 2 / 3 < high < 1
    assert (not_applied["won"], not_applied["lost"]) == (0, 1)
    assert overall["overall"]["too_few"] is True
    assert overall["overall"]["verdict"].startswith("Too few closed deals to tell yet")
    assert [e["practice"]["id"] for e in overall["practices"]] == [practice.pk]
    assert one["applied"] == applied
    assert one["practice"]["statement"] == "Confirm the budget"


def test_another_teams_practice_effect_is_not_found(api_client, cast, practice):
    # when
    response = api_client.as_user(cast.oscar).get(f"/api/v1/practices/{practice.pk}/effect")
    overall = api_client.as_user(cast.oscar).get("/api/v1/practice-matches/effect").json()

    # then
    assert response.status_code == 404
    assert overall["practices"] == []
    assert overall["overall"]["applied"]["closed"] == 0
