"""Through the API a manager writes a best practice with its conditions and sources,
publishes it (it is matched to the open deals it applies to, with why), and retires it;
reps read their team's playbook but do not write it, and other teams do not see it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from debrief.learning.models import BestPractice, PracticeMatch
from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.pipeline.actions import create_competitor, update_deal


@pytest.fixture
def lost(cast, make_deal):
    deal = make_deal(cast.rita, name="Lost to Acme")
    return mark_deal_lost(
        deal,
        cast.rita,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )


def test_a_manager_writes_publishes_and_retires_a_practice(
    api_client, cast, north, stages, make_deal, lost, django_capture_on_commit_callbacks
):
    # given Rita's open deal in Proposal that talks about procurement, and one in Prospecting
    deal = make_deal(cast.rita, stage=stages["Proposal"], amount=Decimal("90000"))
    update_deal(deal, cast.rita, next_step="Pricing call with procurement")
    make_deal(cast.rita, stage=stages["Prospecting"])
    acme = create_competitor(None, "Acme")
    api = api_client.as_user(cast.maya)

    # when Maya writes a draft
    created = api.post(
        "/api/v1/practices",
        {
            "team": north.pk,
            "statement": "Bring procurement in before pricing",
            "why": "We lost Acme at the last step",
            "stage_ids": [stages["Proposal"].pk],
            "min_amount": "50000",
            "keywords": "procurement",
            "source_deal_ids": [lost.deal_id],
            "source_debrief_ids": [lost.debrief.pk],
        },
    )

    # then it is a draft with its conditions and sources, matched to nothing yet
    assert created.status_code == 201, created.json()
    practice = created.json()
    assert practice["status"] == "draft"
    assert [s["name"] for s in practice["stages"]] == ["Proposal"]
    assert practice["min_amount"] == "50000.00"
    assert practice["sources"]["debriefs"][0]["deal"] == lost.deal_id
    assert practice["effect"]["too_few"] is True
    assert not PracticeMatch.objects.exists()
    url = f"/api/v1/practices/{practice['id']}"

    # when she adds a competitor condition, then drops it again, and publishes
    assert api.patch(url, {"competitor_ids": [acme.pk]}).json()["competitors"][0]["name"] == "Acme"
    changed = api.patch(url, {"competitor_ids": []}).json()
    assert changed["competitors"] == []
    assert changed["keywords"] == "procurement"  # what was not sent stays
    with django_capture_on_commit_callbacks():
        published = api.post(f"{url}/publish")

    # then only the Proposal deal that talks of procurement matches, and says why
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["matches"]["suggested"] == 1
    assert [e["kind"] for e in published.json()["events"]] == ["published"]
    matches = api.get(f"{url}/matches").json()
    assert matches["count"] == 1
    match = matches["items"][0]
    assert match["deal"]["id"] == deal.pk
    assert match["reasons"]["keywords"] == ["procurement"]
    assert match["why"].startswith("Matches because stage is Proposal")

    # and Rita reads it in her team's playbook, but may not change it
    rita = api_client.as_user(cast.rita)
    assert rita.get("/api/v1/practices", status="published", q="procurement").json()["count"] == 1
    assert rita.patch(url, {"statement": "Mine now"}).status_code == 403

    # when Maya retires it
    retired = api_client.as_user(cast.maya).post(f"{url}/retire", {"why": "Superseded"})

    # then it leaves the playbook and its open suggestions go
    assert retired.status_code == 200
    assert retired.json()["status"] == "retired"
    assert not PracticeMatch.objects.exists()


def test_reps_do_not_write_practices(api_client, cast, north):
    # when
    with_team = api_client.as_user(cast.rita).post(
        "/api/v1/practices", {"team": north.pk, "statement": "Mine"}
    )
    without = api_client.as_user(cast.nico).post("/api/v1/practices", {"statement": "Mine"})

    # then
    assert with_team.status_code == without.status_code == 403
    assert not BestPractice.objects.exists()


def test_a_manager_with_one_team_need_not_name_it(api_client, cast, north):
    # when
    response = api_client.as_user(cast.maya).post("/api/v1/practices", {"statement": "Ask why"})

    # then
    assert response.status_code == 201
    assert response.json()["team"]["id"] == north.pk


def test_another_teams_practice_is_not_found(api_client, cast, north):
    # given
    practice = (
        api_client.as_user(cast.maya)
        .post("/api/v1/practices", {"team": north.pk, "statement": "North only"})
        .json()
    )

    # when
    api = api_client.as_user(cast.sam)
    got = api.get(f"/api/v1/practices/{practice['id']}")
    published = api.post(f"/api/v1/practices/{practice['id']}/publish")
    listed = api.get("/api/v1/practices")

    # then
    assert got.status_code == published.status_code == 404
    assert listed.json()["count"] == 0
