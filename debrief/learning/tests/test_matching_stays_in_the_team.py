"""A practice is its team's: it is matched to the open deals of the team that published it,
never to another team's, and a deal that moves to another team leaves its old team's
suggestions behind."""

from __future__ import annotations

from decimal import Decimal

from debrief.learning import actions
from debrief.learning.models import PracticeMatch
from debrief.pipeline import actions as pipeline_actions


def publish(cast, team):
    practice = actions.write_practice(
        cast.maya if team.name == "North" else cast.sam,
        actions.PracticeInput(statement="Bring procurement in early", keywords="procurement"),
        team=team,
    )
    return actions.publish_practice(practice, cast.maya if team.name == "North" else cast.sam)


def test_a_practice_matches_its_own_teams_deals_only(cast, north, south, make_deal):
    # given two deals that both mention procurement, one in each team
    ours = make_deal(cast.rita, next_step="Call procurement")
    theirs = make_deal(cast.oscar, next_step="Call procurement")

    # when North publishes a practice
    practice = publish(cast, north)

    # then
    matched = set(PracticeMatch.objects.filter(practice=practice).values_list("deal_id", flat=True))
    assert matched == {ours.pk}
    assert theirs.pk not in matched


def test_a_deal_moved_to_another_team_leaves_the_old_teams_suggestions(
    cast, north, south, make_deal
):
    # given a North deal with a North suggestion
    deal = make_deal(cast.rita, next_step="Call procurement", amount=Decimal("5000"))
    practice = publish(cast, north)
    assert PracticeMatch.objects.filter(practice=practice, deal=deal).exists()

    # when the deal moves to South
    moved = pipeline_actions.update_deal(deal, cast.adam, owner=cast.oscar, team=south)
    actions.rematch_deal(moved)

    # then
    assert not PracticeMatch.objects.filter(practice=practice, deal=deal).exists()
