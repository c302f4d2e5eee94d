"""The leader's debrief reminders: the invite queues one for the day before and one for
07:00 on the day in the leader's own time zone; a reminder does nothing once the call has
moved (the new invite queues its own) or the debrief was held, declined or cancelled."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone

from debrief.losses import actions
from debrief.losses.tests.api_helpers import lose, make_due, queued, run_worker
from debrief.org import actions as org_actions
from debrief.pipeline import actions as pipeline_actions

REMIND = "debrief.losses.tasks.remind_debrief_leader"
INVITE = "debrief.losses.tasks.send_debrief_invite"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def reminders() -> list[tuple[list[str], str]]:
    return [(m.to, str(m.subject)) for m in mail.outbox if m.subject.startswith("Reminder")]


@pytest.mark.parametrize(
    ("zone", "on_the_day_utc", "on_the_day_utc_in_summer"),
    [
        # 10:00 in Tokyo is 01:00 UTC; 07:00 in Tokyo is 22:00 UTC the evening before.
        ("Asia/Tokyo", dt.time(22, 0), dt.time(22, 0)),
        # 10:00 in Los Angeles is 18:00 UTC in winter; 07:00 there is 15:00 UTC (14:00 in
        # summer).
        ("America/Los_Angeles", dt.time(15, 0), dt.time(14, 0)),
    ],
)
def test_reminders_come_the_day_before_and_at_seven_in_the_leaders_zone(
    cast, make_deal, zone, on_the_day_utc, on_the_day_utc_in_summer
):
    # given a leader far from UTC
    org_actions.update_user(cast.rita, None, time_zone=zone)
    cast.rita.refresh_from_db()

    # when the loss is recorded and the invite goes out
    debrief = lose(make_deal(cast.rita), cast.rita).debrief
    run_worker()

    # then
    when = debrief.when
    local = when.astimezone(zoneinfo.ZoneInfo(zone))
    assert local.time() == dt.time(10, 0)
    day_before, on_the_day = (row.run_after for row in queued(REMIND).order_by("run_after"))
    assert day_before == when - dt.timedelta(days=1)
    assert on_the_day.astimezone(zoneinfo.ZoneInfo(zone)) == local.replace(hour=7)
    summer = bool(local.dst())
    assert on_the_day.astimezone(dt.UTC).time() == (
        on_the_day_utc_in_summer if summer else on_the_day_utc
    )
    assert {
        (row.args_kwargs["args"][0], dt.datetime.fromisoformat(row.args_kwargs["args"][1]))
        for row in queued(REMIND)
    } == {(debrief.pk, when)}


def test_the_leader_gets_the_reminder(cast, make_deal):
    # given
    lose(make_deal(cast.rita, name="Harbor renewal"), cast.rita)
    run_worker()

    # when the day comes
    make_due(REMIND)
    run_worker()

    # then
    assert (
        reminders() == [(["rita@example.com"], "Reminder: rep-led debrief for Harbor renewal")] * 2
    )


def test_a_moved_call_is_reminded_at_its_new_time_only(cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita).debrief
    run_worker()
    new_time = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=12), dt.time(14, 0), tzinfo=dt.UTC
    )

    # when the call moves, the new invite goes out, and every reminder comes due
    actions.reschedule_debrief(debrief, cast.rita, scheduled_for=new_time)
    run_worker()
    make_due(REMIND)
    run_worker()

    # then the two old reminders did nothing and the two new ones were sent
    results = sorted((row.args_kwargs["args"][1], row.return_value) for row in queued(REMIND))
    assert results == sorted(
        [(debrief.when.isoformat(), False)] * 2 + [(new_time.isoformat(), True)] * 2
    )
    assert len(reminders()) == 2
    assert queued(INVITE).count() == 2


def test_a_call_confirmed_at_its_proposed_time_is_reminded_once(cast, make_deal):
    # given
    debrief = lose(make_deal(cast.rita), cast.rita).debrief
    run_worker()
    contact = pipeline_actions.create_contact(
        debrief.loss.deal.customer, None, name="Cleo Carter", email="cleo@example.com"
    )

    # when the call is confirmed with the customer's contact, at the time proposed
    actions.reschedule_debrief(
        debrief, cast.rita, scheduled_for=debrief.proposed_for, customer_contact=contact
    )
    run_worker()
    make_due(REMIND)
    run_worker()

    # then the invite went out again, and each reminder once
    assert queued(INVITE).count() == 2
    assert len([m for m in mail.outbox if m.attachments]) == 2
    assert len(reminders()) == 2


@pytest.mark.parametrize("ending", ["held", "declined", "cancelled"])
def test_no_reminder_for_a_debrief_that_is_over(cast, make_deal, ending):
    # given yesterday's loss, whose debrief is days away with both its reminders queued
    # (whatever the time of day: a call tomorrow would have its first reminder today)
    debrief = lose(make_deal(cast.rita), cast.rita, days_ago=1).debrief
    run_worker()

    # when the debrief ends before the reminders come due
    if ending == "held":
        actions.mark_debrief_held(debrief, cast.rita)
    else:
        actions.close_debrief(debrief, cast.rita, ending)
    make_due(REMIND)
    run_worker()

    # then
    assert queued(REMIND).count() == 2
    assert set(queued(REMIND).values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    assert {row.return_value for row in queued(REMIND)} == {False}
    assert reminders() == []
