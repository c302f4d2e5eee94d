"""A manager of another team cannot accept a proposal of a retro that is not theirs: it is
not found, and nothing changes."""

from __future__ import annotations

from debrief.learning import actions
from debrief.learning.models import BestPractice, ProposalStatus
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType


def test_accepting_a_proposal_of_another_teams_retro_is_not_found(
    api_client, cast, north, make_deal
):
    # given North's retro with Rita's proposal
    lost = make_deal(cast.rita)
    mark_deal_lost(
        lost,
        cast.rita,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )
    retro = actions.open_retro(
        cast.maya, team=north, title="Retro", deals=[lost], attendees=[cast.rita, cast.nico]
    )
    proposal = actions.propose(retro, cast.rita, statement="Confirm budget in discovery")

    # when Sam, South's manager, tries to accept it
    response = api_client.as_user(cast.sam).post(
        f"/api/v1/retros/{retro.pk}/proposals/{proposal.pk}/accept"
    )

    # then
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not BestPractice.objects.exists()


def test_a_rep_of_the_team_may_not_accept(api_client, cast, north, make_deal):
    # given
    lost = make_deal(cast.rita)
    mark_deal_lost(
        lost,
        cast.rita,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )
    retro = actions.open_retro(
        cast.maya, team=north, title="Retro", deals=[lost], attendees=[cast.rita, cast.nico]
    )
    proposal = actions.propose(retro, cast.rita, statement="Confirm budget in discovery")

    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/retros/{retro.pk}/proposals/{proposal.pk}/accept"
    )

    # then
    assert response.status_code == 403
    assert not BestPractice.objects.exists()


def test_a_proposal_of_another_retro_is_not_found_under_this_one(
    api_client, cast, north, make_deal
):
    # given two North retros
    deals = [make_deal(cast.rita), make_deal(cast.rita)]
    for deal in deals:
        mark_deal_lost(
            deal,
            cast.rita,
            LossInput(
                outcome_type=OutcomeType.objects.first(),
                reasons=[LossReason.objects.get(name="Price")],
            ),
        )
    first, second = (
        actions.open_retro(cast.maya, team=north, title=t, deals=[d], attendees=[cast.rita])
        for t, d in zip(("One", "Two"), deals, strict=True)
    )
    proposal = actions.propose(second, cast.rita, statement="Qualify harder")

    # when
    response = api_client.as_user(cast.maya).post(
        f"/api/v1/retros/{first.pk}/proposals/{proposal.pk}/accept"
    )

    # then
    assert response.status_code == 404
    assert not BestPractice.objects.exists()
