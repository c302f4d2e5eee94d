"""A loss the API refuses: no reason, a retired or unknown reason, a main reason that is
not among the reasons, a deal that is already lost. Each answer names the field, and
nothing is saved: the deal stays as it was and no loss, review or debrief exists."""

from __future__ import annotations

from typing import Any

import pytest

from debrief.losses import actions
from debrief.losses.models import Debrief, LossRecord, OwnItReview
from debrief.losses.tests.api_helpers import errors, lose, outcome, reason
from debrief.pipeline.models import DealEvent, DealStatus


def nothing_saved(deal: Any, events_before: int) -> None:
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert not LossRecord.objects.exists()
    assert not OwnItReview.objects.exists()
    assert not Debrief.objects.exists()
    assert DealEvent.objects.filter(deal=deal).count() == events_before


@pytest.mark.parametrize(
    ("reasons", "field", "says"),
    [
        ([], "reasons", "at least one reason"),
        (["Retired"], "reasons", "Retired reasons cannot be used: Missing capability"),
        (["Unknown"], "reasons", "No reason with id 999999"),
    ],
    ids=["missing", "retired", "unknown"],
)
def test_a_loss_without_a_usable_reason_is_refused(
    api_client, cast, make_deal, reasons, field, says
):
    # given
    deal = make_deal(cast.rita)
    retired = actions.retire_reason(reason("Missing capability"), cast.adam)
    ids = {"Retired": retired.pk, "Unknown": 999_999}
    events_before = DealEvent.objects.filter(deal=deal).count()

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [ids[r] for r in reasons]},
    )

    # then
    assert says in errors(response)[field]
    nothing_saved(deal, events_before)


def test_the_main_reason_must_be_one_of_the_reasons(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": deal.pk,
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk],
            "primary_reason": reason("Timing").pk,
        },
    )

    # then
    assert "must be one of the reasons" in errors(response)["primary_reason"]
    nothing_saved(deal, 1)


def test_several_reasons_need_a_main_one(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": deal.pk,
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk, reason("Timing").pk],
        },
    )

    # then
    assert "main one" in errors(response)["primary_reason"]
    nothing_saved(deal, 1)


def test_every_unknown_id_is_named_at_once(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": deal.pk,
            "outcome_type": 999_999,
            "reasons": [reason("Price").pk, 888_888],
            "competitors": [777_777],
            "debrief_consent": "maybe",
        },
    )

    # then
    assert set(errors(response)) == {"outcome_type", "reasons", "competitors"}
    nothing_saved(deal, 1)


def test_a_bad_consent_and_a_future_date_are_named(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": deal.pk,
            "outcome_type": outcome().pk,
            "reasons": [reason("Price").pk],
            "debrief_consent": "maybe",
            "lost_on": "2999-01-01",
        },
    )

    # then
    assert set(errors(response)) == {"debrief_consent", "lost_on"}
    nothing_saved(deal, 1)


def test_a_deal_already_lost_cannot_be_lost_again(api_client, cast, make_deal):
    # given
    deal = make_deal(cast.rita)
    lose(deal, cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {"deal": deal.pk, "outcome_type": outcome().pk, "reasons": [reason("Timing").pk]},
    )

    # then
    assert "already lost" in errors(response)["deal"]
    assert LossRecord.objects.count() == 1
