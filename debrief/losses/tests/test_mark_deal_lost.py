"""Marking a deal lost keeps the why, asks for the own-it review and proposes the debrief."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from debrief.losses import actions
from debrief.losses.models import (
    DebriefConsent,
    DebriefKind,
    LossReason,
    LossRecord,
    OutcomeType,
)
from debrief.pipeline.models import DealEvent, DealStatus, FollowUp


@pytest.fixture
def reasons(db):
    return {r.name: r for r in LossReason.objects.all()}


@pytest.fixture
def outcomes(db):
    return {o.name: o for o in OutcomeType.objects.all()}


def lose(deal, by, reason_list, outcomes, **kw):
    data = actions.LossInput(
        outcome_type=kw.pop("outcome_type", outcomes["Lost to a competitor"]),
        reasons=kw.pop("reasons", [reason_list["Price"]]),
        **kw,
    )
    return actions.mark_deal_lost(deal, by, data)


def test_an_ordinary_loss_is_debriefed_by_the_rep_after_the_cool_off(
    rita, maya, make_deal, stages, reasons, outcomes, django_capture_on_commit_callbacks
):
    # given an ordinary deal, in Proposal, lost on the last weekday before today
    deal = make_deal(rita, amount=Decimal("20000"), stage=stages["Proposal"])
    lost_on = timezone.localdate() - dt.timedelta(days=1)
    while lost_on.weekday() >= 5:
        lost_on -= dt.timedelta(days=1)

    # when
    with django_capture_on_commit_callbacks() as callbacks:
        loss = lose(deal, rita, reasons, outcomes, lost_on=lost_on)

    # then the deal is lost, its history says so, and the facts at loss are kept
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert (loss.stage_at_loss, loss.amount_at_loss) == (stages["Proposal"], Decimal("20000"))
    assert loss.primary_reason == reasons["Price"]
    kinds = set(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True))
    assert {"lost", "loss_recorded", "debrief_proposed"} <= kinds
    # the rep leads, after the 7 cool-off days (a weekday, as the loss day was)
    debrief = loss.debrief
    assert debrief.kind == DebriefKind.ORDINARY
    assert debrief.leader == rita
    assert debrief.proposed_for.date() == lost_on + dt.timedelta(days=7)
    assert loss.own_it.rep == rita
    assert len(callbacks) >= 2  # own-it reminder and invite, queued after commit


def test_a_major_loss_is_a_post_mortem_led_by_the_manager(rita, maya, make_deal, reasons, outcomes):
    deal = make_deal(rita, amount=Decimal("250000"))

    loss = lose(deal, rita, reasons, outcomes, debrief_consent=DebriefConsent.YES)

    debrief = loss.debrief
    assert debrief.kind == DebriefKind.POST_MORTEM
    assert debrief.leader == maya
    assert set(debrief.participants.all()) == {maya, rita}
    assert debrief.proposed_for.date() > loss.lost_on
    assert debrief.proposed_for.weekday() < 5
    follow_up = FollowUp.objects.get(deal=deal, kind="post_mortem_request")
    assert follow_up.owner == maya


def test_no_debrief_when_the_customer_declined(rita, make_deal, reasons, outcomes):
    deal = make_deal(rita)

    loss = lose(deal, rita, reasons, outcomes, debrief_consent=DebriefConsent.NO)

    assert not hasattr(loss, "debrief")


def test_a_loss_needs_a_reason_and_saves_nothing_without_one(rita, make_deal, reasons, outcomes):
    deal = make_deal(rita)

    with pytest.raises(ValidationError) as error:
        lose(deal, rita, reasons, outcomes, reasons=[])

    assert "reasons" in error.value.message_dict
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert not LossRecord.objects.exists()


def test_a_retired_reason_is_refused(adam, rita, make_deal, reasons, outcomes):
    actions.retire_reason(reasons["Timing"], adam)
    deal = make_deal(rita)

    with pytest.raises(ValidationError) as error:
        lose(deal, rita, reasons, outcomes, reasons=[reasons["Timing"]])

    assert "Timing" in error.value.message_dict["reasons"][0]


def test_reopening_keeps_the_loss_in_history(rita, make_deal, stages, reasons, outcomes):
    deal = make_deal(rita)
    loss = lose(deal, rita, reasons, outcomes)

    actions.reopen_deal(deal, rita, stages["Negotiation"])

    loss.refresh_from_db()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert loss.reopened_at is not None
    assert loss.debrief.status == "cancelled"
    assert DealEvent.objects.filter(deal=deal, kind="reopened").exists()


def test_merging_a_reason_into_itself_is_refused(adam, reasons):
    with pytest.raises(ValidationError) as error:
        actions.merge_reasons(reasons["Price"], reasons["Price"], adam)

    assert "target" in error.value.message_dict


def test_merging_repoints_past_losses(adam, rita, make_deal, reasons, outcomes):
    deal = make_deal(rita)
    loss = lose(deal, rita, reasons, outcomes, reasons=[reasons["Other"]])

    actions.merge_reasons(reasons["Other"], reasons["Timing"], adam)

    assert loss.primary_reason == reasons["Timing"]
    reasons["Other"].refresh_from_db()
    assert not reasons["Other"].is_active
    assert reasons["Other"].events.filter(kind="merged").exists()
