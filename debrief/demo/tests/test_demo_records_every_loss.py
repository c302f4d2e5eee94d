"""Every lost deal of the demo carries the loss record `mark_deal_lost` would have written:
outcome type, reasons with one primary, competitors, stage and amount at loss, the rep's note,
the debrief consent, and its event row, in believable proportions."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Q

from debrief.losses import queries
from debrief.losses.models import LossRecord
from debrief.pipeline.models import Deal, DealEvent, DealEventKind, DealStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)


def share(counter: Counter[str], key: str) -> float:
    return counter[key] / sum(counter.values())


def test_every_lost_deal_has_one_loss_record_with_the_facts_at_loss(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then one standing loss record per lost deal, none for the others
    lost = Deal.objects.filter(status=DealStatus.LOST)
    losses = LossRecord.objects.select_related("deal")
    assert losses.count() == lost.count() > 800
    assert set(losses.values_list("deal_id", flat=True)) == set(lost.values_list("pk", flat=True))
    assert not losses.filter(reopened_at__isnull=False).exists()
    # the facts at loss are the deal's: its owner, close date, amount and currency
    for loss in losses:
        deal = loss.deal
        assert loss.recorded_by_id == deal.owner_id
        assert loss.lost_on == deal.closed_on
        assert (loss.amount_at_loss, loss.currency) == (deal.amount, deal.currency)
    # the stage at loss is the one the deal's history left for the lost stage
    left_from = dict(
        DealEvent.objects.filter(kind=DealEventKind.LOST).values_list("deal_id", "from_value")
    )
    for deal_id, stage in losses.values_list("deal_id", "stage_at_loss__name"):
        assert left_from[deal_id] == stage


def test_every_loss_has_one_to_three_reasons_and_exactly_one_primary(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    counted = LossRecord.objects.annotate(
        given=Count("reason_links"),
        primary=Count("reason_links", filter=Q(reason_links__is_primary=True)),
    )
    assert set(counted.values_list("primary", flat=True)) == {1}
    assert set(counted.values_list("given", flat=True)) == {1, 2, 3}


def test_outcomes_consent_and_reasons_come_in_realistic_proportions(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then the outcome types
    outcomes = Counter(LossRecord.objects.values_list("outcome_type__name", flat=True))
    assert share(outcomes, "Lost to a competitor") == pytest.approx(0.45, abs=0.05)
    assert share(outcomes, "No decision") == pytest.approx(0.25, abs=0.05)
    assert share(outcomes, "No budget") == pytest.approx(0.15, abs=0.04)
    assert share(outcomes, "Chose to build or do nothing") == pytest.approx(0.08, abs=0.03)
    assert share(outcomes, "Unknown") == pytest.approx(0.07, abs=0.03)
    # whether the customer agreed to a debrief
    consent = Counter(LossRecord.objects.values_list("debrief_consent", flat=True))
    assert share(consent, "yes") == pytest.approx(0.45, abs=0.05)
    assert share(consent, "no") == pytest.approx(0.20, abs=0.05)
    assert share(consent, "not_asked") == pytest.approx(0.35, abs=0.05)
    # "Other" on about one loss in ten, and not enough of the last quarter's to warn
    total = LossRecord.objects.count()
    other = LossRecord.objects.filter(reason_links__reason__is_other=True).distinct().count()
    assert other / total == pytest.approx(0.10, abs=0.03)
    recent_other, recent = queries.other_share(TODAY)
    assert recent >= 30
    assert 0 < recent_other / recent <= 0.15
    assert queries.other_warning(TODAY) == ""
    # a real reason leads far more often than "Other"
    primary_other = LossRecord.objects.filter(
        reason_links__is_primary=True, reason_links__reason__is_other=True
    ).count()
    assert primary_other < other / 2
    # the rep's notes are mostly written, and not all alike
    notes = list(LossRecord.objects.values_list("note", flat=True))
    assert sum(1 for n in notes if n) / total >= 0.8
    assert len(set(notes)) >= 30


def test_competitors_are_named_when_the_deal_was_lost_to_one(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    for loss in LossRecord.objects.select_related("outcome_type", "deal").prefetch_related(
        "competitors", "deal__competitors"
    ):
        named = {c.pk for c in loss.competitors.all()}
        if loss.outcome_type.name == "Lost to a competitor":
            assert named and named == {c.pk for c in loss.deal.competitors.all()}
        else:
            assert not named


def test_each_loss_leaves_the_event_row_the_action_writes(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then one "loss recorded" event per loss, at the moment the deal was lost, saying how
    events = {
        e.data["loss_id"]: e
        for e in DealEvent.objects.filter(kind="loss_recorded").select_related("actor")
    }
    losses = LossRecord.objects.select_related("outcome_type").prefetch_related(
        "reason_links__reason"
    )
    assert len(events) == losses.count()
    lost_at = dict(DealEvent.objects.filter(kind=DealEventKind.LOST).values_list("deal_id", "at"))
    for loss in losses:
        event = events[loss.pk]
        assert event.deal_id == loss.deal_id and event.actor_id == loss.recorded_by_id
        assert event.at == lost_at[loss.deal_id]
        assert event.describe() == f"Loss recorded: {loss.outcome_type} — {loss.primary_reason}"
    # and the whole loop's history ends before the anchor day
    assert not DealEvent.objects.filter(at__date__gte=TODAY).exists()
