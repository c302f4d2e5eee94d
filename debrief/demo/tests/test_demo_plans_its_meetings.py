"""The demo's meetings look like a real team's: planned on deals with our people and the
customer's, past and to come, plans filled unevenly (large deals' fuller), most outcomes not
valuable, commitments that became next steps, and a minority of bad meetings with their
recovery steps and decisions. The home pages show them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Max
from django.utils import timezone

from debrief.meetings.models import (
    RECOVERY_STEPS,
    BadMeeting,
    Meeting,
    MeetingOutcome,
    OutcomeResult,
)
from debrief.org.models import Organisation, Role, User
from debrief.pipeline.models import DealStatus, FollowUp

# The panels read the clock: the history leads up to today.
TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db


def test_most_outcomes_are_not_valuable(demo):
    # when
    results = Counter(MeetingOutcome.objects.values_list("result", flat=True))
    recorded = sum(results.values())

    # then fewer than one in five advanced the deal or qualified it out, but some did
    valuable = results[OutcomeResult.ADVANCE] + results[OutcomeResult.QUALIFIED_OUT]
    assert recorded > 500
    assert 0.10 < valuable / recorded < 0.20
    assert 0 < results[OutcomeResult.QUALIFIED_OUT] < results[OutcomeResult.ADVANCE]
    # every outcome was recorded after its meeting, and qualifying out closed a lost deal
    for outcome in MeetingOutcome.objects.select_related("meeting__deal")[:300]:
        assert outcome.created_at > outcome.meeting.starts_at
    assert not MeetingOutcome.objects.filter(result=OutcomeResult.QUALIFIED_OUT).exclude(
        meeting__deal__status=DealStatus.LOST
    )


def test_an_advance_names_a_commitment_or_a_discovery_and_sets_the_next_step(demo):
    advances = MeetingOutcome.objects.filter(result=OutcomeResult.ADVANCE)
    assert not advances.filter(commitment_what="", discovery="").exists()
    assert not advances.exclude(commitment_what="").filter(commitment_by__isnull=True).exists()
    # the latest commitment of an open deal is its next step
    latest = (
        advances.exclude(commitment_what="")
        .filter(meeting__deal__status=DealStatus.OPEN)
        .values("meeting__deal")
        .annotate(last=Max("meeting__starts_at"))
    )
    checked = 0
    for row in latest[:50]:
        outcome = advances.select_related("meeting__deal").get(
            meeting__deal=row["meeting__deal"], meeting__starts_at=row["last"]
        )
        if outcome.commitment_what:
            deal = outcome.meeting.deal
            assert deal.next_step.startswith(outcome.commitment_what)
            assert deal.next_step_date == outcome.commitment_by
            checked += 1
    assert checked > 5


def test_meetings_have_people_modes_and_plans_that_scale_with_the_deal(demo):
    meetings = Meeting.objects.all()
    assert meetings.count() > 1_000
    assert set(meetings.values_list("mode", flat=True)) == {"call", "video", "on_site"}
    assert not meetings.filter(our_attendees__isnull=True).exists()
    assert not meetings.filter(customer_contacts__isnull=True).exists()
    for meeting in meetings.prefetch_related("customer_contacts", "deal")[:200]:
        assert all(
            c.customer_id == meeting.deal.customer_id for c in meeting.customer_contacts.all()
        )
    # plans: every meeting has one; large deals' are fuller
    org = Organisation.current()
    percent: dict[bool, list[int]] = {True: [], False: []}
    sufficient: Counter[bool] = Counter()
    for meeting in meetings.select_related("plan", "deal"):
        large = meeting.deal.amount >= org.full_plan_threshold
        percent[large].append(
            len([v for v in vars(meeting.plan).values() if v not in ("", None, False)])
        )
        sufficient[meeting.plan.is_sufficient(org)] += 1
    assert sum(percent[True]) / len(percent[True]) > sum(percent[False]) / len(percent[False])
    assert sufficient[True] > 0 and sufficient[False] > 0


def test_every_rep_has_a_meeting_tomorrow_with_and_without_a_sufficient_plan(demo):
    org = Organisation.current()
    tomorrow = TODAY + dt.timedelta(days=1)
    upcoming = Meeting.objects.filter(starts_at__gte=timezone.now())
    assert upcoming.count() > 100
    assert not upcoming.filter(outcome__isnull=False).exists()
    assert not upcoming.exclude(deal__status=DealStatus.OPEN).exists()
    for rep in User.objects.filter(role=Role.REP, deals__isnull=False).distinct():
        mine = upcoming.filter(deal__owner=rep, starts_at__date=tomorrow).select_related("plan")
        assert {m.plan.is_sufficient(org) for m in mine} == {True, False}, rep


def test_a_minority_of_meetings_went_badly_with_causes_consequences_and_recovery_steps(demo):
    past = Meeting.objects.filter(starts_at__lt=timezone.now()).count()
    bad = BadMeeting.objects.prefetch_related("causes", "consequences__recovery_step")
    assert 0.04 < bad.count() / past < 0.09
    for flagged in bad:
        assert flagged.causes.exists()
        assert flagged.consequences.exists()
        for consequence in flagged.consequences.all():
            step = consequence.recovery_step
            assert step is not None
            assert step.title == RECOVERY_STEPS[consequence.consequence][0]
            assert step.kind == f"recovery:{consequence.consequence}"
    decisions = Counter(bad.values_list("decision", flat=True))
    assert decisions.keys() == {"pending", "stay_in", "qualify_out"}
    assert not bad.filter(decision="qualify_out").exclude(meeting__deal__status=DealStatus.LOST)
    assert FollowUp.objects.filter(kind__startswith="recovery:", done_at__isnull=False).exists()
    assert FollowUp.objects.filter(kind__startswith="recovery:", done_at__isnull=True).exists()


def test_the_home_pages_show_the_meetings(demo, client):
    # given
    rep = User.objects.get(email="marcus.reid@demo.debrief.example")
    manager = User.objects.get(email="olivia.bennett@demo.debrief.example")

    # when
    client.force_login(rep)
    mine = client.get("/").content.decode()
    client.force_login(manager)
    team = client.get("/").content.decode()

    # then
    assert 'id="home-meetings-mine"' in mine
    tomorrow = Meeting.objects.filter(
        deal__owner=rep, starts_at__date=TODAY + dt.timedelta(days=1)
    ).first()
    assert tomorrow is not None and tomorrow.deal.customer.name.split()[0] in mine
    assert 'id="home-meetings-team"' in team
