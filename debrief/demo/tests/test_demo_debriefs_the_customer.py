"""The demo's customer debriefs are those `schedule_debrief` proposes, and have got as far as
real ones do: older ones mostly held with the customer's answers, some declined, a few
cancelled, recent ones proposed or scheduled, and one major post-mortem left overdue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from debrief.losses import queries
from debrief.losses.actions import add_business_days, next_business_day_on_or_after
from debrief.losses.models import (
    DEBRIEF_QUESTIONS,
    Debrief,
    DebriefKind,
    DebriefStatus,
    LossRecord,
)
from debrief.org.models import Organisation
from debrief.pipeline.models import DealEvent, FollowUp

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
END = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)


def debriefs():
    return Debrief.objects.select_related(
        "loss__deal__team", "loss__deal__customer", "contact_follow_up"
    ).prefetch_related("participants", "loss__deal__team__managers", "loss__deal__deal_contacts")


def test_a_debrief_is_proposed_when_the_customer_agreed_or_was_not_asked(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    asked = LossRecord.objects.exclude(debrief_consent="no")
    assert set(Debrief.objects.values_list("loss_id", flat=True)) == set(
        asked.values_list("pk", flat=True)
    )


def test_major_losses_get_a_manager_led_post_mortem_and_others_a_rep_led_debrief(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    threshold = Organisation.current().major_deal_threshold
    kinds: Counter[str] = Counter()
    for debrief in debriefs():
        loss, deal = debrief.loss, debrief.loss.deal
        people = {p.pk for p in debrief.participants.all()}
        proposed_on = debrief.proposed_for.date()
        assert proposed_on > loss.lost_on and proposed_on.weekday() < 5
        if loss.amount_at_loss >= threshold:
            kinds["major"] += 1
            manager = deal.team.managers.get()
            assert debrief.kind == DebriefKind.POST_MORTEM
            assert debrief.leader_id == manager.pk
            assert people == {manager.pk, deal.owner_id}
            assert proposed_on == add_business_days(loss.lost_on, 1)
            follow_up = debrief.contact_follow_up
            assert follow_up is not None and follow_up.owner_id == manager.pk
            assert follow_up.kind == "post_mortem_request" and follow_up.deal_id == deal.pk
            assert follow_up.due_on == add_business_days(loss.lost_on, 1)
            if debrief.status != DebriefStatus.PROPOSED:
                assert follow_up.done_at is not None
        else:
            assert debrief.kind == DebriefKind.ORDINARY
            assert debrief.leader_id == deal.owner_id
            assert people == {deal.owner_id}
            assert proposed_on == next_business_day_on_or_after(loss.lost_on + dt.timedelta(days=7))
            assert debrief.contact_follow_up is None
        decision_makers = [
            c.contact_id for c in deal.deal_contacts.all() if c.role == "decision_maker"
        ]
        assert debrief.customer_contact_id == (decision_makers[0] if decision_makers else None)
    assert kinds["major"] >= 10
    assert FollowUp.objects.filter(kind="post_mortem_request").count() == kinds["major"]


def test_older_debriefs_were_mostly_held_and_recent_ones_are_still_to_come(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    older = Counter(
        Debrief.objects.filter(loss__lost_on__lt=TODAY - dt.timedelta(days=60)).values_list(
            "status", flat=True
        )
    )
    total = sum(older.values())
    assert older[DebriefStatus.HELD] / total == pytest.approx(0.70, abs=0.06)
    assert older[DebriefStatus.DECLINED] / total == pytest.approx(0.21, abs=0.05)
    assert older[DebriefStatus.CANCELLED] / total == pytest.approx(0.09, abs=0.04)
    upcoming = Debrief.objects.filter(proposed_for__gte=END)
    assert upcoming.exists()
    assert set(upcoming.values_list("status", flat=True)) <= {
        DebriefStatus.PROPOSED,
        DebriefStatus.SCHEDULED,
        DebriefStatus.DECLINED,
    }
    assert queries.debriefs_due(Debrief.objects.all()).count() >= 5
    for debrief in Debrief.objects.filter(status=DebriefStatus.SCHEDULED):
        assert debrief.scheduled_for is not None and debrief.version == 2


def test_held_debriefs_have_the_customers_answers_to_the_five_questions(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    held = Debrief.objects.filter(status=DebriefStatus.HELD).prefetch_related("answers", "loss")
    assert held.count() > 300
    for debrief in held:
        assert debrief.held_at is not None and debrief.held_at < END
        assert debrief.held_at.date() > debrief.loss.lost_on
        assert debrief.customer_decisive_reason_id is not None
        answers = {a.number: a for a in debrief.answers.all()}
        assert set(answers) - {0} == {1, 2, 3, 4, 5}
        for number, question in enumerate(DEBRIEF_QUESTIONS, start=1):
            assert answers[number].question == question
            assert answers[number].answer
            assert answers[number].answered_by_id == debrief.leader_id
        if 0 in answers:
            assert answers[0].question and answers[0].answer
    assert not Debrief.objects.exclude(status=DebriefStatus.HELD).filter(answers__isnull=False)


def test_the_customer_and_the_rep_name_different_reasons_and_reps_blame_price(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then they differ in roughly half the held debriefs
    gap = queries.reason_gap(queries.rep_versus_customer(Debrief.objects.all()))
    assert gap["compared"] > 300
    assert 0.40 <= gap["differ"] / gap["compared"] <= 0.55
    # and price is far more often the rep's reason than the customer's
    price = next(r for r in gap["by_reason"] if r["reason"] == "Price")
    assert price["rep"] >= 1.8 * price["customer"]


def test_every_step_of_a_debrief_leaves_the_event_row_the_action_writes(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    by_debrief: dict[int, list[DealEvent]] = {}
    for event in DealEvent.objects.filter(kind__startswith="debrief_"):
        by_debrief.setdefault(event.data["debrief_id"], []).append(event)
    for debrief in Debrief.objects.select_related("leader", "loss"):
        kinds = {e.kind: e for e in by_debrief[debrief.pk]}
        proposed = kinds.pop("debrief_proposed")
        assert proposed.describe() == (
            f"{debrief.get_kind_display()} proposed for {debrief.proposed_for:%d %b %Y}, "
            f"led by {debrief.leader}"
        )
        assert proposed.actor_id == debrief.loss.recorded_by_id
        if debrief.status == DebriefStatus.HELD:
            assert list(kinds) == ["debrief_held"]
            assert kinds["debrief_held"].at == debrief.held_at
            assert kinds["debrief_held"].describe() == f"{debrief.get_kind_display()} held"
        elif debrief.status in (DebriefStatus.DECLINED, DebriefStatus.CANCELLED):
            assert list(kinds) == [f"debrief_{debrief.status}"]
            event = kinds[f"debrief_{debrief.status}"]
            assert event.describe() == f"Debrief {debrief.get_status_display().lower()}"
            assert event.actor_id == debrief.leader_id
        else:
            assert not kinds


def test_a_major_post_mortem_is_overdue_for_the_managers_home(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    overdue = list(queries.overdue_post_mortems(Debrief.objects.all(), TODAY))
    assert overdue
    for debrief in overdue:
        assert debrief.status == DebriefStatus.PROPOSED
        assert debrief.is_overdue(TODAY)
        assert debrief.loss.is_major()
