"""A manager opens a retro from the page, the groups are formed and reshuffled, the
attendees propose, the manager merges duplicates and starts the vote, the team votes once
each, and the manager accepts a proposal into a draft practice and closes the retro."""

from __future__ import annotations

import re

import pytest

from debrief.learning import actions
from debrief.learning.models import (
    BestPractice,
    PracticeStatus,
    Proposal,
    ProposalStatus,
    Retro,
    RetroStatus,
    Vote,
)
from debrief.learning.tests.page_helpers import grow_north, lose, north_retro


def test_a_manager_opens_a_retro_of_seven_in_groups_of_four_and_three(
    client, cast, north, make_deal
):
    # given a lost deal of North and seven people in the team
    lost = lose(make_deal(cast.rita, name="Harbour rollout"), cast.rita)
    people = [cast.maya, cast.rita, cast.nico, *grow_north(north)]
    client.force_login(cast.maya)

    # when maya opens the retro
    page = client.get("/retros/new/")
    response = client.post(
        "/retros/new/",
        {
            "team": north.pk,
            "title": "Why we lost Harbour",
            "deals": [lost.pk],
            "attendees": [p.pk for p in people],
        },
    )

    # then it offers the lost deal, and the retro page shows two groups, of 4 and 3
    assert "Harbour rollout" in page.content.decode()
    retro = Retro.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/retros/{retro.pk}/"
    html = client.get(f"/retros/{retro.pk}/").content.decode()
    assert "2 groups of 4 and 3" in html
    assert 'id="group-1"' in html and 'id="group-2"' in html
    assert "Harbour rollout" in html


def test_a_retro_needs_a_lost_deal_of_the_team(client, cast, north, make_deal):
    # given an open deal of rita's
    open_deal = make_deal(cast.rita)
    client.force_login(cast.maya)

    # when maya tries to open a retro on nothing, then on the open deal
    empty = client.post("/retros/new/", {"team": north.pk, "title": "", "attendees": []})
    forged = client.post(
        "/retros/new/",
        {"team": north.pk, "title": "Hm", "deals": [open_deal.pk], "attendees": [cast.rita.pk]},
    )

    # then each is refused beside its field, and nothing is saved
    assert empty.status_code == 400
    assert forged.status_code == 400
    assert "Unknown deal" in forged.content.decode()
    assert not Retro.objects.exists()


def test_a_rep_may_not_open_a_retro(client, cast):
    client.force_login(cast.rita)

    assert client.get("/retros/new/").status_code == 403


def test_reshuffling_changes_the_groups_until_someone_proposes(client, cast, north, make_deal):
    # given a retro of seven
    people = [cast.maya, cast.rita, cast.nico, *grow_north(north)]
    retro = north_retro(cast, north, make_deal, attendees=people)
    client.force_login(cast.maya)

    # when maya reshuffles
    response = client.post(f"/retros/{retro.pk}/reshuffle/")

    # then the groups are formed again, still 4 and 3
    retro.refresh_from_db()
    assert response.status_code == 302
    assert retro.shuffle_count == 1
    assert sorted(g.members.count() for g in retro.groups.all()) == [3, 4]

    # when someone has proposed, reshuffling is refused
    actions.propose(retro, cast.rita, statement="Bring finance in early")
    followed = client.post(f"/retros/{retro.pk}/reshuffle/", follow=True)
    retro.refresh_from_db()
    assert retro.shuffle_count == 1
    assert "keep them as they are" in followed.content.decode()


def test_attendees_propose_and_a_blank_proposal_is_refused(client, cast, north, make_deal):
    # given a retro rita attends
    retro = north_retro(cast, north, make_deal)
    client.force_login(cast.rita)

    # when she proposes nothing, then a practice
    blank = client.post(f"/retros/{retro.pk}/propose/", {"statement": "  "})
    good = client.post(
        f"/retros/{retro.pk}/propose/",
        {"statement": "Bring finance in before the proposal", "why": "They decided on price"},
    )

    # then the first is refused beside the field, the second is in, with her group
    assert blank.status_code == 400
    assert "This field is required" in blank.content.decode() or "one sentence" in (
        blank.content.decode()
    )
    assert good.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.author == cast.rita
    assert proposal.group is not None
    assert "Bring finance in before the proposal" in client.get(good["Location"]).content.decode()


def test_the_manager_merges_a_duplicate(client, cast, north, make_deal):
    # given two proposals saying the same
    retro = north_retro(cast, north, make_deal)
    keep = actions.propose(retro, cast.rita, statement="Bring finance in early")
    duplicate = actions.propose(retro, cast.nico, statement="Meet their finance people")
    client.force_login(cast.maya)

    # when maya merges the second into the first
    response = client.post(
        f"/retros/{retro.pk}/merge/", {"duplicate": duplicate.pk, "keep": keep.pk}
    )

    # then the duplicate is merged into the one kept
    duplicate.refresh_from_db()
    assert response.status_code == 302
    assert duplicate.status == ProposalStatus.MERGED
    assert duplicate.merged_into == keep


def test_a_rep_may_not_merge_or_start_the_vote(client, cast, north, make_deal):
    retro = north_retro(cast, north, make_deal)
    actions.propose(retro, cast.rita, statement="Bring finance in early")
    client.force_login(cast.rita)

    assert client.post(f"/retros/{retro.pk}/voting/").status_code == 403
    assert client.post(f"/retros/{retro.pk}/close/").status_code == 403
    retro.refresh_from_db()
    assert retro.status == RetroStatus.PROPOSING


def test_voting_twice_is_refused_and_counted_once(client, cast, north, make_deal):
    # given a retro in its vote
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in early")
    client.force_login(cast.maya)
    client.post(f"/retros/{retro.pk}/voting/")
    client.force_login(cast.nico)

    # when nico votes, then votes again
    first = client.post(f"/proposals/{proposal.pk}/vote/")
    second = client.post(f"/proposals/{proposal.pk}/vote/", follow=True)

    # then the second is refused plainly, and one vote is counted
    assert first.status_code == 302
    assert "already voted" in second.content.decode()
    assert Vote.objects.filter(proposal=proposal).count() == 1
    assert "You voted" in second.content.decode()


def test_voting_with_htmx_swaps_the_proposal(client, cast, north, make_deal):
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in early")
    actions.start_voting(retro, cast.maya)
    client.force_login(cast.rita)

    response = client.post(f"/proposals/{proposal.pk}/vote/", headers={"HX-Request": "true"})
    again = client.post(f"/proposals/{proposal.pk}/vote/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(
        f'<li class="proposal proposal-proposed" id="proposal-{proposal.pk}"'
    )
    assert re.search(r"<strong>1</strong> vote\b", html)
    assert "already voted" in again.content.decode()
    assert Vote.objects.count() == 1


def test_accepting_makes_a_draft_practice_and_links_it(client, cast, north, make_deal):
    # given a voted proposal
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in early")
    actions.start_voting(retro, cast.maya)
    actions.vote(proposal, cast.nico)
    client.force_login(cast.maya)

    # when maya accepts it
    response = client.post(f"/proposals/{proposal.pk}/accept/")

    # then it is a draft practice with the retro's deal as its source, linked from the retro
    practice = BestPractice.objects.get()
    assert response["Location"] == f"/practices/{practice.pk}/"
    assert practice.status == PracticeStatus.DRAFT
    assert list(practice.source_deals.all()) == list(retro.deals.all())
    html = client.get(f"/retros/{retro.pk}/").content.decode()
    assert f'href="/practices/{practice.pk}/"' in html
    assert "Accepted" in html


def test_accepting_a_proposal_of_another_teams_retro_is_not_found(client, cast, north, make_deal):
    # given North's retro in its vote
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in early")
    actions.start_voting(retro, cast.maya)
    client.force_login(cast.sam)

    # when South's manager tries to accept its proposal
    response = client.post(f"/proposals/{proposal.pk}/accept/")

    # then it does not exist for him, and nothing changes
    proposal.refresh_from_db()
    assert response.status_code == 404
    assert proposal.status == ProposalStatus.PROPOSED
    assert not BestPractice.objects.exists()


def test_closing_the_retro_ends_the_open_proposals(client, cast, north, make_deal):
    retro = north_retro(cast, north, make_deal)
    proposal = actions.propose(retro, cast.rita, statement="Bring finance in early")
    client.force_login(cast.maya)

    response = client.post(f"/retros/{retro.pk}/close/")

    retro.refresh_from_db()
    proposal.refresh_from_db()
    assert response.status_code == 302
    assert retro.status == RetroStatus.CLOSED
    assert proposal.status == ProposalStatus.REJECTED


@pytest.mark.parametrize("who", ["oscar", "sam"])
def test_another_team_sees_nothing_of_the_retro(client, cast, north, make_deal, who):
    # given North's retro with a proposal
    retro = north_retro(cast, north, make_deal)
    actions.propose(retro, cast.rita, statement="Bring finance in early")
    client.force_login(getattr(cast, who))

    # then South gets 404 on it and does not find it in the list
    assert client.get(f"/retros/{retro.pk}/").status_code == 404
    assert "Why we lost Harbour" not in client.get("/retros/").content.decode()
