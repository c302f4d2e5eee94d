"""Every business change to a deal leaves an event row, and status follows the stage's kind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from debrief.pipeline import actions
from debrief.pipeline.models import DealEvent, DealStatus


def kinds(deal):
    return list(
        DealEvent.objects.filter(deal=deal).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_a_new_deal_records_its_creation(rita, make_deal):
    # when
    deal = make_deal(rita)

    # then
    assert kinds(deal) == ["created"]
    assert deal.status == DealStatus.OPEN
    assert deal.closed_on is None


def test_moving_to_a_won_stage_closes_the_deal_and_reopening_opens_it(rita, make_deal, stages):
    # given
    deal = make_deal(rita)

    # when
    actions.move_deal_stage(deal, rita, stages["Proposal"])
    actions.move_deal_stage(deal, rita, stages["Closed Won"])

    # then
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON
    assert deal.closed_on is not None
    assert kinds(deal) == ["created", "stage_changed", "stage_changed", "won"]

    # when
    actions.move_deal_stage(deal, rita, stages["Negotiation"])

    # then
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert deal.closed_on is None
    assert kinds(deal)[-2:] == ["stage_changed", "reopened"]
    reopened = DealEvent.objects.get(deal=deal, kind="reopened")
    assert (reopened.from_value, reopened.to_value, reopened.actor) == (
        "Closed Won",
        "Negotiation",
        rita,
    )


def test_moving_to_the_same_stage_records_nothing(rita, make_deal, stages):
    deal = make_deal(rita)

    actions.move_deal_stage(deal, rita, stages["Prospecting"])

    assert kinds(deal) == ["created"]


def test_amount_and_owner_changes_are_events_with_before_and_after(
    maya, rita, nico, make_deal, django_capture_on_commit_callbacks
):
    # given
    deal = make_deal(rita, amount=Decimal("1000"))

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        actions.update_deal(deal, maya, amount=Decimal("1500.50"), owner=nico)

    # then
    amount = DealEvent.objects.get(deal=deal, kind="amount_changed")
    owner = DealEvent.objects.get(deal=deal, kind="owner_changed")
    assert (amount.from_value, amount.to_value) == ("1000.00", "1500.50")
    assert (owner.from_value, owner.to_value, owner.actor) == ("Rita Reyes", "Nico Nowak", maya)
    assert len(callbacks) >= 1  # the new owner is told, once the change has committed


def test_a_rep_cannot_give_a_deal_to_a_teammate(rita, nico, make_deal):
    deal = make_deal(rita)

    with pytest.raises(ValidationError) as error:
        actions.update_deal(deal, rita, owner=nico)

    assert "owner" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.owner == rita
    assert kinds(deal) == ["created"]


def test_an_owner_outside_the_deals_team_is_refused(maya, rita, oscar, make_deal):
    deal = make_deal(rita)

    with pytest.raises(ValidationError) as error:
        actions.update_deal(deal, None, owner=oscar)

    assert "not in the team North" in error.value.message_dict["owner"][0]


def test_a_retired_stage_cannot_take_deals(adam, rita, make_deal, stages):
    # given
    actions.update_stage(stages["Discovery"], adam, is_active=False)
    deal = make_deal(rita)

    # when / then
    with pytest.raises(ValidationError) as error:
        actions.move_deal_stage(deal, rita, stages["Discovery"])
    assert "stage" in error.value.message_dict


def test_the_last_won_stage_cannot_be_retired(adam, stages):
    with pytest.raises(ValidationError) as error:
        actions.update_stage(stages["Closed Won"], adam, is_active=False)

    assert "is_active" in error.value.message_dict
