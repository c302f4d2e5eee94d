"""/api/v1/meeting-outcomes: record what a meeting achieved — an advance whose commitment
becomes the deal's next step, a qualified out that closes the deal through the loss with its
outcome type and reasons, or an honest no outcome — and read them back."""

from __future__ import annotations

from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings.models import MeetingOutcome
from debrief.meetings.tests.api_helpers import day, fields, meeting
from debrief.pipeline.models import Deal, DealStatus
from debrief.relationships.models import Relationship


def test_an_advance_becomes_the_deals_next_step(api_client, rita, make_deal):
    # given
    deal = make_deal(rita)
    held = meeting(deal, rita)

    # when
    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        {
            "meeting": held.pk,
            "result": "advance",
            "compared_with_plan": "best",
            "valuable_for_customer": "yes",
            "valuable_for_customer_said": "yes",
            "commitment_what": "Security review with IT",
            "commitment_who": "Cleo, their CTO",
            "commitment_by": day(5),
        },
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["result"], body["is_valuable"], body["commitment_by"]) == ("advance", True, day(5))
    assert body["recorded_by"]["email"] == "rita@example.com"
    deal.refresh_from_db()
    assert deal.next_step == "Security review with IT (Cleo, their CTO)"
    assert deal.next_step_date.isoformat() == day(5)
    assert api_client.as_user(rita).get(f"/api/v1/meetings/{held.pk}").json()["outcome"] == (
        "advance"
    )


def test_qualifying_out_closes_the_deal_through_the_loss(api_client, rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)
    no_budget = OutcomeType.objects.get(name="No budget")
    reason = LossReason.objects.get(name="No budget")

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        {
            "meeting": held.pk,
            "result": "qualified_out",
            "compared_with_plan": "fallback",
            "valuable_for_customer": "yes",
            "qualified_out_why": "No budget until next fiscal year",
            "outcome_type": no_budget.pk,
            "reasons": [reason.pk],
        },
    )

    assert response.status_code == 201
    deal = Deal.objects.get(pk=deal.pk)
    assert deal.status == DealStatus.LOST
    loss = deal.losses.get()
    assert loss.outcome_type == no_budget
    assert loss.note == "No budget until next fiscal year"
    assert Relationship.objects.get(customer=deal.customer).status == "strained"


def test_qualifying_out_on_good_terms_leaves_the_relationship_alone(api_client, rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        {
            "meeting": held.pk,
            "result": "qualified_out",
            "compared_with_plan": "fallback",
            "valuable_for_customer": "yes",
            "qualified_out_why": "They will build it themselves",
            "outcome_type": OutcomeType.objects.get(name="No decision").pk,
            "reasons": [LossReason.objects.get(name="Price").pk],
            "relationship_damaged": False,
        },
    )

    assert response.status_code == 201, response.content
    assert Deal.objects.get(pk=deal.pk).losses.get().relationship_damaged is False
    assert not Relationship.objects.filter(customer=deal.customer).exists()


def test_qualifying_out_without_the_loss_saves_nothing(api_client, rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        {
            "meeting": held.pk,
            "result": "qualified_out",
            "compared_with_plan": "fallback",
            "valuable_for_customer": "yes",
            "qualified_out_why": "No budget",
            "reasons": [999_999],
        },
    )

    assert response.status_code == 422
    assert fields(response) == ["reasons"]
    assert not MeetingOutcome.objects.exists()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN


def test_no_outcome_needs_an_honest_note(api_client, rita, make_deal):
    held = meeting(make_deal(rita), rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        {
            "meeting": held.pk,
            "result": "no_outcome",
            "compared_with_plan": "neither",
            "valuable_for_customer": "no",
        },
    )

    assert response.status_code == 422
    assert fields(response) == ["note"]


def test_listing_and_reading_outcomes(api_client, rita, oscar, make_deal):
    # given
    mine = meeting(make_deal(rita), rita, days_ago=2)
    theirs = meeting(make_deal(oscar), oscar, days_ago=2)
    for user, held in ((rita, mine), (oscar, theirs)):
        api_client.as_user(user).post(
            "/api/v1/meeting-outcomes",
            {
                "meeting": held.pk,
                "result": "advance",
                "compared_with_plan": "fallback",
                "valuable_for_customer": "unsure",
                "discovery": "Their budget owner is the COO, not IT",
            },
        )
    api = api_client.as_user(rita)

    # when
    listed = api.get("/api/v1/meeting-outcomes").json()
    filtered = api.get("/api/v1/meeting-outcomes", result="no_outcome").json()

    # then
    assert [o["meeting"]["id"] for o in listed["items"]] == [mine.pk]
    assert filtered["count"] == 0
    assert api.get(f"/api/v1/meeting-outcomes/{mine.pk}").json()["discovery"] == (
        "Their budget owner is the COO, not IT"
    )
    assert api.get(f"/api/v1/meeting-outcomes/{theirs.pk}").status_code == 404
