"""Marking a deal lost through the API: the same action as the page, a 201 with the loss,
and the loss readable afterwards by those who may see the deal."""

from __future__ import annotations

from decimal import Decimal

from debrief.losses.models import LossRecord
from debrief.losses.tests.api_helpers import outcome, reason
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import DealEvent, DealStatus


def test_a_rep_marks_their_deal_lost(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita, amount=Decimal("20000"), stage=stages["Proposal"])
    rival = pipeline_actions.create_competitor(None, "Acme Rival")

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": deal.pk,
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk, reason("Timing").pk],
            "primary_reason": reason("Timing").pk,
            "competitors": [rival.pk],
            "note": "They thanked us; door open for next year.",
            "debrief_consent": "yes",
        },
    )

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["deal"]["id"] == deal.pk
    assert body["recorded_by"]["email"] == "rita@example.com"
    assert body["outcome_type"]["name"] == "Lost to a competitor"
    assert body["reasons"][0] == {"id": reason("Timing").pk, "name": "Timing", "is_primary": True}
    assert {r["name"] for r in body["reasons"]} == {"Price", "Timing"}
    assert body["primary_reason"]["name"] == "Timing"
    assert body["competitors"] == [{"id": rival.pk, "name": "Acme Rival"}]
    assert body["stage_at_loss"]["name"] == "Proposal"
    assert (body["amount_at_loss"], body["currency"]) == ("20000.00", "USD")
    assert body["debrief_consent"] == "yes"
    assert body["major"] is False
    assert body["reopened_at"] is None
    assert body["debrief"]["status"] == "proposed"
    assert body["url"].endswith(f"/losses/{body['id']}/")
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert DealEvent.objects.filter(deal=deal, kind="loss_recorded", actor=cast.rita).exists()


def test_the_loss_is_read_back_by_those_who_see_the_deal(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    created = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [reason("Price").pk]},
    )
    loss_id = created.json()["id"]

    # when
    seen = {
        user.email: api_client.as_user(user).get(f"/api/v1/losses/{loss_id}").status_code
        for user in (cast.rita, cast.maya, cast.adam, cast.ana, cast.nico, cast.sam, cast.oscar)
    }

    # then
    assert seen == {
        "rita@example.com": 200,
        "maya@example.com": 200,
        "adam@example.com": 200,
        "ana@example.com": 200,
        "nico@example.com": 404,
        "sam@example.com": 404,
        "oscar@example.com": 404,
    }


def test_a_manager_marks_their_reps_deal_lost(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/losses",
        {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [reason("No budget").pk]},
    )

    # then
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"]["email"] == "maya@example.com"


def test_another_teams_deal_is_not_found_and_the_analyst_is_refused(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    body = {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [reason("Price").pk]}

    # when
    from_oscar = api_client.as_user(cast.oscar).post("/api/v1/losses", body)
    from_nico = api_client.as_user(cast.nico).post("/api/v1/losses", body)
    from_ana = api_client.as_user(cast.ana).post("/api/v1/losses", body)

    # then
    for response in (from_oscar, from_nico):
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "deal"
    assert from_ana.status_code == 403
    assert not LossRecord.objects.exists()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
