"""What the loss loop's API, email, reminder and CLI tests share: the seeded lists by name,
a loss recorded through the real action, and reading the API's errors."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Sequence
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from debrief.losses import actions
from debrief.losses.models import DebriefConsent, LossReason, LossRecord, OutcomeType


def reason(name: str) -> LossReason:
    return LossReason.objects.get(name=name)


def outcome(name: str = "Lost to a competitor") -> OutcomeType:
    return OutcomeType.objects.get(name=name)


def lose(
    deal: Any,
    by: Any,
    *,
    reasons: Sequence[str] = ("Price",),
    days_ago: int = 0,
    consent: str = DebriefConsent.NOT_ASKED,
) -> LossRecord:
    """Mark a deal lost through the action, `days_ago` days back."""
    return actions.mark_deal_lost(
        deal,
        by,
        actions.LossInput(
            outcome_type=outcome(),
            reasons=[reason(name) for name in reasons],
            primary_reason=reason(reasons[0]),
            debrief_consent=consent,
            lost_on=timezone.localdate() - dt.timedelta(days=days_ago),
        ),
    )


def errors(response: Any, status: int = 422) -> dict[str | None, str]:
    """The error answer's messages by field, after checking its status and shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    return {e["field"]: e["message"] for e in body["errors"]}


def run_worker() -> None:
    """Run the django-tasks-db worker until the queue has nothing ready, as `debrief worker`
    would. The worker installs its own SIGINT/SIGTERM handlers: pytest gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def queued(task_path: str) -> Any:
    """The queue's rows for one task, oldest first."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")


def make_due(task_path: str) -> int:
    """Time-shift: the task's waiting rows become due now, as if their day had come."""
    from django.tasks import TaskResultStatus

    return (
        queued(task_path)
        .filter(status=TaskResultStatus.READY)
        .update(run_after=timezone.now() - dt.timedelta(seconds=1))
    )
