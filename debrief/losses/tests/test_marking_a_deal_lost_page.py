"""A rep marks a deal lost from its page: the graceful-exit guidance comes first, a reason is
required, a retired reason is refused, and saving records the loss, asks for the own-it
review and proposes the debrief."""

from __future__ import annotations

from decimal import Decimal

from debrief.losses import actions
from debrief.losses.models import Debrief, LossRecord, OwnItReview
from debrief.losses.tests.page_helpers import field_error, outcome, reason, text
from debrief.pipeline.models import Deal, DealStatus


def test_the_form_opens_with_the_graceful_exit_guidance_and_the_facts(
    client, rita, make_deal, stages
):
    # given
    deal = make_deal(rita, stage=stages["Proposal"], amount=Decimal("42000"))
    client.force_login(rita)

    # when
    response = client.get(f"/deals/{deal.pk}/lose/")

    # then
    assert response.status_code == 200
    page = text(response)
    assert "leave gracefully" in page
    for advice in (
        "Don't argue",
        "but you said earlier",
        "Focus on their reasons",
        "Thank them",
        "Keep the door open",
        "Ask permission to debrief later",
    ):
        assert advice in page
    assert "Stage at loss Proposal" in page
    assert "42,000.00 USD" in page
    assert "Not asked yet" in page


def test_without_a_reason_nothing_is_saved_and_the_error_is_beside_the_reasons(
    client, rita, make_deal
):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/lose/",
        {"outcome_type": outcome().pk, "debrief_consent": "yes", "note": "They went elsewhere"},
    )

    # then
    assert response.status_code == 400
    assert "at least one reason" in field_error(response, "reasons")
    assert "They went elsewhere" in text(response)  # what the rep typed is kept
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert not LossRecord.objects.exists()


def test_a_retired_reason_is_refused_by_name(client, rita, adam, make_deal):
    # given a reason retired after the rep opened the form
    deal = make_deal(rita)
    timing = reason("Timing")
    actions.retire_reason(timing, adam)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/lose/",
        {"outcome_type": outcome().pk, "reasons": [timing.pk], "debrief_consent": "yes"},
    )

    # then
    assert response.status_code == 400
    assert "Retired reasons cannot be used: Timing" in field_error(response, "reasons")
    assert "Timing" not in text(client.get(f"/deals/{deal.pk}/lose/"))
    assert not LossRecord.objects.exists()


def test_saving_records_the_loss_the_own_it_review_and_the_debrief(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita, stage=stages["Negotiation"], amount=Decimal("18000"))
    price, timing = reason("Price"), reason("Timing")
    client.force_login(rita)

    # when she ticks two reasons and marks Timing as the main one
    response = client.post(
        f"/deals/{deal.pk}/lose/",
        {
            "outcome_type": outcome("No decision").pk,
            "reasons": [price.pk, timing.pk],
            "primary_reason": timing.pk,
            "note": "Budget moved to next year.",
            "debrief_consent": "yes",
        },
    )

    # then she lands on her own-it review, with a message
    loss = LossRecord.objects.get(deal=deal)
    assert response.status_code == 302
    assert response["Location"] == f"/losses/{loss.pk}/own-it/"
    page = text(client.get(response["Location"]))
    assert "is recorded" in page
    assert "What could I have done differently?" in page
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert (loss.stage_at_loss, loss.amount_at_loss) == (stages["Negotiation"], Decimal("18000"))
    assert loss.primary_reason == timing
    assert set(loss.reasons.all()) == {price, timing}
    assert OwnItReview.objects.get(loss=loss).rep == rita
    assert Debrief.objects.get(loss=loss).leader == rita


def test_the_main_reason_alone_counts_as_a_reason(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when she only marks a main reason
    client.post(
        f"/deals/{deal.pk}/lose/",
        {"outcome_type": outcome().pk, "primary_reason": reason("Price").pk},
    )

    # then
    assert LossRecord.objects.get(deal=deal).primary_reason == reason("Price")


def test_other_teams_get_404_and_analysts_403(client, rita, oscar, ana, make_deal):
    # given
    deal = make_deal(rita)
    data = {"outcome_type": outcome().pk, "reasons": [reason("Price").pk]}

    # when / then
    client.force_login(oscar)
    assert client.get(f"/deals/{deal.pk}/lose/").status_code == 404
    assert client.post(f"/deals/{deal.pk}/lose/", data).status_code == 404
    client.force_login(ana)
    assert client.get(f"/deals/{deal.pk}/lose/").status_code == 403
    assert client.post(f"/deals/{deal.pk}/lose/", data).status_code == 403
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.OPEN


def test_a_lost_deal_is_not_lost_twice(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    client.force_login(rita)
    client.post(
        f"/deals/{deal.pk}/lose/", {"outcome_type": outcome().pk, "reasons": [reason("Price").pk]}
    )

    # when
    response = client.get(f"/deals/{deal.pk}/lose/")

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/#losses"
    assert LossRecord.objects.filter(deal=deal).count() == 1
