"""The rep's checklist through the API: the matches on their own open deals with why, marked
applied (what they did) or not relevant (why); never on a closed deal, never someone else's."""

from __future__ import annotations

import pytest

from debrief.learning import actions
from debrief.learning.models import MatchStatus, PracticeMatch
from debrief.pipeline.actions import move_deal_stage
from debrief.pipeline.models import DealEvent


@pytest.fixture
def practice(cast, north, stages):
    practice = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Confirm the budget", stages=[stages["Proposal"]]),
        team=north,
    )
    return actions.publish_practice(practice, cast.maya)


@pytest.fixture
def deal(cast, make_deal, stages, practice):
    deal = make_deal(cast.rita, name="Rita's deal", stage=stages["Proposal"])
    actions.rematch_deal(deal)  # the background task, run here
    return deal


def test_the_checklist_lists_the_reps_own_suggestions_with_why(api_client, cast, deal, make_deal):
    # given Nico has a matched deal too
    actions.rematch_deal(make_deal(cast.nico, stage=deal.stage))

    # when
    response = api_client.as_user(cast.rita).get("/api/v1/practice-matches", mine="true")

    # then
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["deal"]["name"] == "Rita's deal"
    assert item["status"] == "suggested"
    assert item["why"] == "Matches because stage is Proposal."


def test_a_rep_marks_a_match_applied_and_it_goes_on_the_deals_timeline(api_client, cast, deal):
    # given
    match = PracticeMatch.objects.get(deal=deal)

    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/practice-matches/{match.pk}/apply", {"note": "Asked the CFO for the budget"}
    )

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "applied"
    assert response.json()["decided_by"]["id"] == cast.rita.pk
    assert DealEvent.objects.filter(deal=deal, kind="practice_applied").exists()
    checklist = api_client.as_user(cast.rita).get("/api/v1/practice-matches", mine="true")
    assert checklist.json()["count"] == 0


def test_dismissing_needs_a_why(api_client, cast, deal):
    # given
    match = PracticeMatch.objects.get(deal=deal)
    url = f"/api/v1/practice-matches/{match.pk}/dismiss"

    # when
    refused = api_client.as_user(cast.rita).post(url, {"why": " "})
    dismissed = api_client.as_user(cast.rita).post(url, {"why": "They have no budget owner"})

    # then
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "why"
    assert dismissed.json()["status"] == "not_relevant"
    assert dismissed.json()["note"] == "They have no budget owner"


def test_applying_on_a_closed_deal_is_refused_and_nothing_changes(api_client, cast, deal, stages):
    # given the deal was won before Rita acted on the match
    match = PracticeMatch.objects.get(deal=deal)
    move_deal_stage(deal, cast.rita, stages["Closed Won"])

    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/practice-matches/{match.pk}/apply", {"note": "Too late"}
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "deal"
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    assert match.note == ""
    assert not DealEvent.objects.filter(deal=deal, kind="practice_applied").exists()


def test_another_reps_match_is_not_found_and_an_analyst_may_not_act(api_client, cast, deal):
    # given
    match = PracticeMatch.objects.get(deal=deal)
    url = f"/api/v1/practice-matches/{match.pk}"

    # when
    nico_get = api_client.as_user(cast.nico).get(url)
    nico_apply = api_client.as_user(cast.nico).post(f"{url}/apply", {"note": "Not mine"})
    ana_get = api_client.as_user(cast.ana).get(url)
    ana_apply = api_client.as_user(cast.ana).post(f"{url}/apply", {"note": "Analyst"})

    # then
    assert nico_get.status_code == nico_apply.status_code == 404
    assert ana_get.status_code == 200
    assert ana_apply.status_code == 403
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
