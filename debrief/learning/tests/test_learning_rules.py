"""Retros split into groups of 3–4, vote once, accept into practices; a published practice
finds the open deals it applies to and says why; applying it is measured."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debrief.learning import actions, queries
from debrief.learning.models import MatchStatus, PracticeMatch
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.org.models import User
from debrief.pipeline import actions as pipeline_actions


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (1, [1]),
        (2, [2]),
        (3, [3]),
        (4, [4]),
        (5, [5]),
        (6, [3, 3]),
        (7, [4, 3]),
        (8, [4, 4]),
        (9, [3, 3, 3]),
        (10, [4, 3, 3]),
        (13, [4, 3, 3, 3]),
    ],
)
def test_attendees_split_into_groups_of_three_or_four(count, sizes):
    assert actions.group_sizes(count) == sizes


def lose(deal, by):
    return mark_deal_lost(
        deal,
        by,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )


@pytest.fixture
def seven(north, cast):
    """Maya's team grown to seven attendees."""
    extra = [
        User.objects.create_user(f"rep{i}@example.com", "x", full_name=f"Rep {i}", role="rep")
        for i in range(4)
    ]
    north.members.add(*extra)
    return [cast.maya, cast.rita, cast.nico, *extra]


@pytest.fixture
def retro(cast, north, seven, make_deal):
    deal = make_deal(cast.rita, name="Lost to Acme")
    lose(deal, cast.rita)
    return actions.open_retro(
        cast.maya, team=north, title="Why we lost Acme", deals=[deal], attendees=seven
    )


def test_a_retro_of_seven_has_groups_of_four_and_three(retro):
    sizes = sorted(g.members.count() for g in retro.groups.all())

    assert sizes == [3, 4]


def test_voting_twice_is_refused(cast, retro):
    proposal = actions.propose(retro, cast.rita, statement="Multi-thread into finance early")
    actions.start_voting(retro, cast.maya)
    actions.vote(proposal, cast.nico)

    with pytest.raises(ValidationError) as error:
        actions.vote(proposal, cast.nico)

    assert "voter" in error.value.message_dict
    assert proposal.votes.count() == 1


def test_a_manager_of_another_team_cannot_accept(cast, sam, retro):
    proposal = actions.propose(retro, cast.rita, statement="Confirm budget in discovery")

    with pytest.raises(ValidationError):
        actions.accept_proposal(proposal, cast.sam)


def test_a_published_practice_is_matched_to_open_deals_with_its_reasons(
    cast, retro, make_deal, stages, django_capture_on_commit_callbacks
):
    # given an open deal whose next step talks about procurement and pricing
    deal = make_deal(cast.nico, stage=stages["Proposal"], amount=Decimal("80000"))
    pipeline_actions.update_deal(deal, cast.nico, next_step="Pricing call with procurement")
    actions.rematch_deal(deal)  # the background task, run here
    other = make_deal(cast.oscar, stage=stages["Prospecting"])
    actions.rematch_deal(other)
    proposal = actions.propose(retro, cast.rita, statement="Bring procurement in before pricing")
    practice = actions.accept_proposal(proposal, cast.maya)
    actions.write_practice(
        cast.maya,
        actions.PracticeInput(
            statement=practice.statement, stages=[stages["Proposal"]], keywords="procurement"
        ),
        team=practice.team,
        practice=practice,
    )

    # when
    with django_capture_on_commit_callbacks():
        actions.publish_practice(practice, cast.maya)

    # then only the deal in Proposal that talks of procurement matches, and it says why
    match = PracticeMatch.objects.get(practice=practice)
    assert match.deal == deal
    assert match.reasons["conditions"] == ["stage is Proposal"]
    assert match.reasons["keywords"] == ["procurement"]
    assert "pricing" in match.reasons["words"]


def test_applying_a_match_on_a_closed_deal_is_refused(cast, retro, make_deal, stages):
    deal = make_deal(cast.nico, name="Procurement heavy deal")
    actions.rematch_deal(deal)
    practice = actions.accept_proposal(
        actions.propose(retro, cast.rita, statement="Map procurement early"), cast.maya
    )
    actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement=practice.statement, keywords="procurement"),
        team=practice.team,
        practice=practice,
    )
    actions.publish_practice(practice, cast.maya)
    match = PracticeMatch.objects.get(practice=practice, deal=deal)
    pipeline_actions.move_deal_stage(deal, cast.nico, stages["Closed Won"])
    actions.rematch_deal(deal)

    match.refresh_from_db()
    assert match.status == MatchStatus.EXPIRED
    with pytest.raises(ValidationError) as error:
        actions.apply_match(match, cast.nico, note="Did it")
    assert "deal" in error.value.message_dict


def test_the_wilson_interval_is_honest_at_small_counts():
    low, high = queries.wilson(3, 5)

    assert 0.23 < low < 0.24
    assert 0.88 < high < 0.89
    assert queries.wilson(0, 0) == (0.0, 0.0)
