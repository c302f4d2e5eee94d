"""A task enqueued on commit is stored by the django-tasks-db backend only once the action's
transaction commits, and the real worker then runs it: here, the email telling a deal's new
owner that it is theirs."""

from __future__ import annotations

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from debrief.pipeline import actions

ASSIGNED = "debrief.pipeline.tasks.send_deal_assigned"


class Rollback(Exception):
    pass


@pytest.fixture(autouse=True)
def keep_signal_handlers():
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_enqueued_on_commit_is_run_by_the_worker(maya, rita, nico, make_deal):
    # given
    deal = make_deal(rita, name="Harbor Logistics renewal")
    mail.outbox.clear()

    # when
    with transaction.atomic():
        actions.update_deal(deal, maya, owner=nico)
        queued_before_commit = DBTaskResult.objects.filter(task_path=ASSIGNED).count()
    # Other parts of the loop queue their own work after a deal change (practice matching).
    queued = DBTaskResult.objects.get(task_path=ASSIGNED)

    # then
    assert queued_before_commit == 0
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "debrief.pipeline.tasks.send_deal_assigned"
    assert queued.args_kwargs["args"] == [deal.pk, nico.pk, maya.pk]

    # when
    run_worker()

    # then
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert queued.return_value is True
    [message] = mail.outbox
    assert message.to == ["nico@example.com"]
    assert message.subject == "Deal assigned to you: Harbor Logistics renewal"
    assert "Maya Moreau has made you the owner" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_nothing_is_enqueued_when_the_transaction_rolls_back(maya, rita, nico, make_deal):
    # given
    deal = make_deal(rita)
    mail.outbox.clear()

    # when
    with pytest.raises(Rollback), transaction.atomic():
        actions.update_deal(deal, maya, owner=nico)
        raise Rollback
    run_worker()

    # then
    assert not DBTaskResult.objects.filter(task_path=ASSIGNED).exists()
    assert mail.outbox == []
    deal.refresh_from_db()
    assert deal.owner == rita


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_taking_a_deal_yourself_sends_nothing(maya, rita, make_deal):
    # given
    deal = make_deal(rita)

    # when
    actions.update_deal(deal, maya, owner=maya)

    # then
    assert not DBTaskResult.objects.filter(task_path=ASSIGNED).exists()
