"""The own-it reminder: queued for a day after the loss, it emails the rep while the review
is empty, then again daily, at most OWN_IT_REMINDERS times — and never once it is written.
Run by the real django-tasks-db worker; the queue's `run_after` is shifted to make a day
pass."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.tasks import TaskResultStatus
from django.utils import timezone

from debrief.losses import actions
from debrief.losses.tasks import OWN_IT_REMINDERS
from debrief.losses.tests.api_helpers import lose, make_due, queued, run_worker

TASK = "debrief.losses.tasks.remind_own_it_review"

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def reminders_to(email: str) -> list[str]:
    return [str(m.subject) for m in mail.outbox if m.to == [email] and "own-it" in m.subject]


def test_the_reminder_is_queued_for_a_day_after_the_loss(cast, make_deal):
    # when
    before = timezone.now()
    loss = lose(make_deal(cast.rita, name="Harbor renewal"), cast.rita)
    run_worker()

    # then it waits a day: the worker ran the invite, not the reminder
    [row] = queued(TASK)
    assert row.status == TaskResultStatus.READY
    assert row.args_kwargs["args"] == [loss.own_it.pk]
    assert before + dt.timedelta(days=1) <= row.run_after
    assert row.run_after <= timezone.now() + dt.timedelta(days=1)
    assert reminders_to("rita@example.com") == []


def test_the_rep_is_reminded_while_the_review_is_empty(cast, make_deal):
    # given
    loss = lose(make_deal(cast.rita, name="Harbor renewal"), cast.rita)
    run_worker()

    # when a day has passed
    make_due(TASK)
    run_worker()

    # then
    assert reminders_to("rita@example.com") == ["Your own-it review of Harbor renewal"]
    message = next(m for m in mail.outbox if "own-it" in m.subject)
    assert f"/losses/{loss.pk}/own-it/" in message.body
    first, second = queued(TASK)
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert second.status == TaskResultStatus.READY
    assert second.args_kwargs["args"] == [loss.own_it.pk, 2]
    assert second.run_after >= timezone.now() + dt.timedelta(hours=23)


def test_no_reminder_once_the_review_is_written(cast, make_deal):
    # given
    loss = lose(make_deal(cast.rita), cast.rita)
    run_worker()
    actions.write_own_it_review(
        loss.own_it,
        cast.rita,
        could_have_done_differently="I should have met the CFO.",
        will_do_next_time="I will map the committee.",
        decisive_reason=None,
    )

    # when a day has passed
    make_due(TASK)
    run_worker()

    # then
    assert reminders_to("rita@example.com") == []
    [row] = queued(TASK)
    assert (row.status, row.return_value) == (TaskResultStatus.SUCCESSFUL, False)


def test_the_reminders_stop_after_a_few_days(cast, make_deal):
    # given
    lose(make_deal(cast.rita), cast.rita)
    run_worker()

    # when many days pass
    for _ in range(OWN_IT_REMINDERS + 2):
        make_due(TASK)
        run_worker()

    # then
    assert len(reminders_to("rita@example.com")) == OWN_IT_REMINDERS
    assert queued(TASK).count() == OWN_IT_REMINDERS
    assert not queued(TASK).filter(status=TaskResultStatus.READY).exists()
