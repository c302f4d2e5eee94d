"""The rules of meetings: plans that scale with the deal, outcomes that must be real, bad
meetings that start their recovery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from debrief.losses.actions import LossInput
from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings import actions
from debrief.meetings.models import OutcomeResult
from debrief.pipeline.models import DealStatus, FollowUp
from debrief.relationships.models import Relationship


def _meeting(deal, by, *, days_ago=1):
    return actions.schedule_meeting(
        deal, by, title="Discovery call", starts_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def _advance(**kw):
    values: dict[str, Any] = {
        "result": OutcomeResult.ADVANCE,
        "compared_with_plan": "best",
        "valuable_for_customer": "yes",
        "commitment_what": "Security review with IT",
        "commitment_who": "Cleo, their CTO",
        "commitment_by": timezone.localdate() + dt.timedelta(days=5),
    }
    return actions.OutcomeInput(**(values | kw))


def test_a_small_deal_needs_a_short_plan_and_a_large_one_all_of_it(rita, make_deal):
    # given
    small = _meeting(make_deal(rita, amount=Decimal("10000")), rita, days_ago=-2)
    large = _meeting(make_deal(rita, amount=Decimal("90000")), rita, days_ago=-2)

    # when
    for meeting in (small, large):
        actions.write_plan(
            meeting, rita, purpose="Agree scope", best_outcome="Pilot", fallback_objective="Demo"
        )

    # then
    small.plan.refresh_from_db()
    large.plan.refresh_from_db()
    assert small.plan.is_sufficient()
    assert not large.plan.is_sufficient()
    assert "contract_no_is_ok" in large.plan.missing()
    assert 0 < large.plan.completeness() < 100


def test_an_outcome_waits_for_the_meeting(rita, make_deal):
    meeting = _meeting(make_deal(rita), rita, days_ago=-1)

    with pytest.raises(ValidationError) as error:
        actions.record_outcome(meeting, rita, _advance())

    assert "meeting" in error.value.message_dict


def test_an_advance_needs_a_commitment_or_a_discovery(rita, make_deal):
    meeting = _meeting(make_deal(rita), rita)

    with pytest.raises(ValidationError) as error:
        actions.record_outcome(meeting, rita, _advance(commitment_what="", discovery=""))

    assert "commitment_what" in error.value.message_dict
    assert not hasattr(meeting, "outcome")


def test_a_commitment_cannot_be_dated_in_the_past(rita, make_deal):
    meeting = _meeting(make_deal(rita), rita)

    with pytest.raises(ValidationError) as error:
        actions.record_outcome(
            meeting, rita, _advance(commitment_by=timezone.localdate() - dt.timedelta(days=1))
        )

    assert "commitment_by" in error.value.message_dict


def test_a_commitment_becomes_the_deals_next_step(rita, make_deal):
    deal = make_deal(rita)
    meeting = _meeting(deal, rita)

    actions.record_outcome(meeting, rita, _advance())

    deal.refresh_from_db()
    assert deal.next_step.startswith("Security review with IT")
    assert deal.next_step_date == timezone.localdate() + dt.timedelta(days=5)


def test_qualifying_out_closes_the_deal_through_the_loss(rita, make_deal):
    deal = make_deal(rita)
    meeting = _meeting(deal, rita)
    loss = LossInput(
        outcome_type=OutcomeType.objects.get(name="No budget"),
        reasons=[LossReason.objects.get(name="No budget")],
    )

    actions.record_outcome(
        meeting,
        rita,
        actions.OutcomeInput(
            result=OutcomeResult.QUALIFIED_OUT,
            compared_with_plan="fallback",
            valuable_for_customer="yes",
            qualified_out_why="No budget until next fiscal year",
            loss=loss,
        ),
    )

    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert deal.losses.get().note == "No budget until next fiscal year"


def test_a_bad_meeting_starts_its_recovery_and_strains_the_relationship(rita, make_deal):
    # given
    deal = make_deal(rita)
    meeting = _meeting(deal, rita)

    # when
    bad = actions.flag_bad_meeting(
        meeting,
        rita,
        causes=["misalignment"],
        consequences=["relationship_damaged", "cycle_lengthened"],
        note="They expected the enterprise tier the ad promised.",
    )

    # then
    steps = FollowUp.objects.filter(deal=deal, kind__startswith="recovery:")
    assert steps.count() == 2
    assert all(step.owner == rita for step in steps)
    assert Relationship.objects.get(customer=deal.customer).status == "strained"
    assert actions.owners_of_causes(bad) == {"marketing"}
    assert bad.decision_due_on == timezone.localdate() + dt.timedelta(days=14)


def test_staying_in_after_a_bad_meeting_needs_a_next_step(rita, make_deal):
    deal = make_deal(rita)
    bad = actions.flag_bad_meeting(
        _meeting(deal, rita), rita, causes=["timing"], consequences=["cycle_lengthened"]
    )

    with pytest.raises(ValidationError) as error:
        actions.decide_after_bad_meeting(bad, rita, "stay_in")

    assert {"next_step", "next_step_date"} <= set(error.value.message_dict)
