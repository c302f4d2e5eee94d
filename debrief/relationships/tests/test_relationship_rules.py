"""Relationships: strained by a loss, recovering with a plan, restored with its time to mend."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from debrief.losses.actions import LossInput, mark_deal_lost
from debrief.losses.models import LossReason, OutcomeType
from debrief.org.actions import update_organisation
from debrief.relationships import actions
from debrief.relationships.models import Relationship, RelationshipEvent


def test_a_loss_strains_the_relationship(rita, make_deal):
    deal = make_deal(rita)

    mark_deal_lost(
        deal,
        rita,
        LossInput(
            outcome_type=OutcomeType.objects.first(), reasons=[LossReason.objects.get(name="Price")]
        ),
    )

    relationship = Relationship.objects.get(customer=deal.customer)
    assert relationship.status == "strained"
    assert relationship.events.get().reason == f"Lost {deal.name}"


def test_a_recovery_plan_then_restoration_measures_the_time_to_mend(rita, make_customer):
    # given a relationship strained 40 days ago
    customer = make_customer()
    damaged_at = timezone.now() - dt.timedelta(days=40)
    actions.change_status(customer, rita, "strained", reason="Bad demo", at=damaged_at)

    # when a touchpoint is planned, then the relationship is restored
    actions.add_touchpoint(
        customer,
        rita,
        kind="share_value",
        description="Send the benchmark report",
        due_on=timezone.localdate(),
        owner=rita,
    )
    actions.change_status(customer, rita, "restored", reason="They invited us back")

    # then
    statuses = list(
        RelationshipEvent.objects.filter(relationship__customer=customer)
        .order_by("at", "pk")
        .values_list("to_status", flat=True)
    )
    assert statuses == ["strained", "recovering", "restored"]
    restored = RelationshipEvent.objects.get(to_status="restored")
    assert restored.data["days_to_mend"] == 40


def test_a_touchpoint_is_planned_from_today_on(rita, make_customer):
    with pytest.raises(ValidationError) as error:
        actions.add_touchpoint(
            make_customer(),
            rita,
            kind="call",
            description="Call",
            due_on=timezone.localdate() - dt.timedelta(days=1),
            owner=rita,
        )

    assert "due_on" in error.value.message_dict


def test_there_is_always_next_year(adam, rita, make_customer):
    update_organisation(adam, fiscal_year_start_month=4)
    customer = make_customer()
    today = dt.date(2026, 11, 23)

    assert actions.default_re_engagement_date(customer, today) == dt.date(2027, 4, 1)
    customer.renewal_on = dt.date(2027, 2, 1)
    assert actions.default_re_engagement_date(customer, today) == dt.date(2027, 2, 1)


def test_a_re_engagement_date_creates_a_follow_up(rita, make_customer):
    customer = make_customer(owner=rita)
    day = timezone.localdate() + dt.timedelta(days=90)

    relationship = actions.set_re_engagement(customer, rita, on=day, note="Budget cycle")

    follow_up = relationship.re_engage_follow_up
    assert relationship.re_engage_on == day
    assert follow_up is not None
    assert (follow_up.owner, follow_up.due_on) == (rita, day)
