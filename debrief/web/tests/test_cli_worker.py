"""`debrief worker` is the task worker: `--batch` runs what is queued, then exits."""

from __future__ import annotations

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from debrief.pipeline import actions


@pytest.fixture(autouse=True)
def keep_signal_handlers():
    """The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_batch_runs_the_queued_tasks_and_exits(maya, rita, nico, make_deal):
    # given
    deal = make_deal(rita)
    actions.update_deal(deal, maya, owner=nico)
    mail.outbox.clear()

    # when
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    # then
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {TaskResultStatus.SUCCESSFUL}
    assert [m.to for m in mail.outbox] == [["nico@example.com"]]
