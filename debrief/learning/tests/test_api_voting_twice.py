"""Voting twice for the same proposal is refused with a clear error, and one vote stays."""

from __future__ import annotations

from debrief.learning import actions
from debrief.learning.models import Vote
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType


def test_a_second_vote_is_refused_and_the_first_stays(api_client, cast, north, make_deal):
    # given a retro in its voting state with one proposal Nico voted for
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
    actions.start_voting(retro, cast.maya)
    url = f"/api/v1/retros/{retro.pk}/proposals/{proposal.pk}/vote"
    assert api_client.as_user(cast.nico).post(url).status_code == 200

    # when he votes again
    response = api_client.as_user(cast.nico).post(url)

    # then
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {"field": "voter", "message": "You have already voted for this proposal."}
    ]
    assert Vote.objects.filter(proposal=proposal).count() == 1


def test_voting_before_the_vote_opens_is_refused(api_client, cast, north, make_deal):
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
    response = api_client.as_user(cast.nico).post(
        f"/api/v1/retros/{retro.pk}/proposals/{proposal.pk}/vote"
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "retro"
    assert not Vote.objects.exists()
