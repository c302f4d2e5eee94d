"""Through the API a manager runs a retro from opening to close: seven attendees split into
groups of four and three, attendees propose, duplicates merge, the team votes, the manager
accepts a proposal as a draft best practice."""

from __future__ import annotations

import pytest

from debrief.learning.models import BestPractice, Proposal
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.org.models import User


@pytest.fixture
def lost(cast, make_deal):
    deal = make_deal(cast.rita, name="Lost to Acme")
    mark_deal_lost(
        deal,
        cast.rita,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )
    return deal


@pytest.fixture
def seven(cast, north):
    extra = [
        User.objects.create_user(f"rep{i}@example.com", "x", full_name=f"Rep {i}", role="rep")
        for i in range(4)
    ]
    north.members.add(*extra)
    return [cast.maya, cast.rita, cast.nico, *extra]


def test_a_manager_runs_a_retro_from_groups_to_an_accepted_practice(
    api_client, cast, north, lost, seven
):
    # given Maya opens a retro on the lost deal with seven attendees
    api = api_client.as_user(cast.maya)
    response = api.post(
        "/api/v1/retros",
        {
            "team": north.pk,
            "title": "Why we lost Acme",
            "deal_ids": [lost.pk],
            "attendee_ids": [u.pk for u in seven],
        },
    )
    assert response.status_code == 201, response.json()
    retro = response.json()
    assert sorted(len(g["members"]) for g in retro["groups"]) == [3, 4]
    assert retro["deals"][0]["loss"]["reasons"] == ["Price"]
    assert retro["you_run_it"] is True
    url = f"/api/v1/retros/{retro['id']}"

    # and she reshuffles once before anyone proposes
    assert api.post(f"{url}/reshuffle").json()["shuffles"] == 1

    # when two attendees propose the same idea and Maya merges them
    first = api_client.as_user(cast.rita).post(
        f"{url}/proposals", {"statement": "Bring finance in early", "why": "CFO said no"}
    )
    second = api_client.as_user(cast.nico).post(
        f"{url}/proposals", {"statement": "Talk to finance sooner", "why": "Budget froze"}
    )
    assert first.status_code == second.status_code == 201
    keep, duplicate = first.json()["id"], second.json()["id"]
    merged = api_client.as_user(cast.maya).post(
        f"{url}/proposals/{duplicate}/merge", {"into": keep}
    )
    assert merged.status_code == 200
    assert "Budget froze" in merged.json()["why"]

    # and the team votes on what is left
    assert api_client.as_user(cast.maya).post(f"{url}/voting").json()["status"] == "voting"
    for voter in (cast.rita, cast.nico):
        voted = api_client.as_user(voter).post(f"{url}/proposals/{keep}/vote")
        assert voted.status_code == 200
    assert voted.json()["votes"] == 2
    assert voted.json()["voted"] is True

    # and Maya accepts it
    accepted = api_client.as_user(cast.maya).post(f"{url}/proposals/{keep}/accept")

    # then it is a draft best practice of North, linked to the lost deal
    assert accepted.status_code == 200
    practice = accepted.json()
    assert practice["status"] == "draft"
    assert practice["statement"] == "Bring finance in early"
    assert [d["id"] for d in practice["sources"]["deals"]] == [lost.pk]
    assert BestPractice.objects.get(pk=practice["id"]).proposal_id == keep

    # and closing the retro marks the rest not taken up
    closed = api_client.as_user(cast.maya).post(f"{url}/close").json()
    assert closed["status"] == "closed"
    statuses = {p["id"]: p["status"] for p in closed["proposals"]}
    assert statuses == {keep: "accepted", duplicate: "merged"}
    assert closed["proposals"][0]["practice"] == practice["id"]


def test_a_rep_cannot_open_a_retro(api_client, cast, north, lost):
    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/retros",
        {"team": north.pk, "title": "Mine", "deal_ids": [lost.pk], "attendee_ids": [cast.rita.pk]},
    )

    # then
    assert response.status_code == 403


def test_opening_a_retro_names_the_bad_ids_and_saves_nothing(api_client, cast, north, lost):
    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/retros",
        {"team": north.pk, "title": "Oops", "deal_ids": [lost.pk, 999999], "attendee_ids": []},
    )

    # then
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"deal_ids"}
    assert not Proposal.objects.exists()


def test_opening_a_retro_on_an_open_deal_is_refused(api_client, cast, north, make_deal):
    # given
    open_deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/retros",
        {
            "team": north.pk,
            "title": "Too early",
            "deal_ids": [open_deal.pk],
            "attendee_ids": [cast.rita.pk],
        },
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deal_ids"


def test_another_teams_retro_is_not_found(api_client, cast, north, lost):
    # given
    retro = (
        api_client.as_user(cast.maya)
        .post(
            "/api/v1/retros",
            {
                "team": north.pk,
                "title": "North only",
                "deal_ids": [lost.pk],
                "attendee_ids": [cast.rita.pk, cast.nico.pk, cast.maya.pk],
            },
        )
        .json()
    )

    # when
    api = api_client.as_user(cast.oscar)
    got = api.get(f"/api/v1/retros/{retro['id']}")
    listed = api.get("/api/v1/retros")
    proposed = api.post(f"/api/v1/retros/{retro['id']}/proposals", {"statement": "Spy"})

    # then
    assert got.status_code == 404
    assert listed.json()["count"] == 0
    assert proposed.status_code == 404
