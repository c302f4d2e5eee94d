"""`debrief requeue_stale_tasks`: put back in the queue the tasks whose worker died while
running them. django-tasks-db marks a task RUNNING when a worker claims it and nothing ever
looks at it again, so a worker killed mid-task (SIGKILL, out of memory, a lost machine) would
leave it RUNNING for ever. Debrief's tasks are idempotent, so running one again is safe."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Far longer than any of Debrief's tasks (an email, a recount): a task running this long has
# lost its worker.
STALE_AFTER = dt.timedelta(minutes=10)


def requeue_stale_tasks(older_than: dt.timedelta = STALE_AFTER) -> int:
    """Move the tasks RUNNING for longer than `older_than` back to READY; return how many."""
    cutoff = timezone.now() - older_than
    # One UPDATE: a worker that finishes the task meanwhile has moved it out of RUNNING.
    stale = DBTaskResult.objects.running().filter(started_at__lte=cutoff)
    return stale.update(status=TaskResultStatus.READY, started_at=None)


def duration(value: str) -> dt.timedelta:
    """`90` (seconds), `90s`, `10m` or `2h`."""
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = (value[:-1], value[-1]) if value[-1:] in units else (value, "s")
    try:
        return dt.timedelta(seconds=float(number) * units[unit])
    except ValueError:
        raise CommandError(f"Not a duration: {value!r} (try 600, 10m or 1h).") from None


class Command(BaseCommand):
    help = (
        "Queue again the tasks left RUNNING by a worker that died (killed, out of memory). "
        "`debrief worker` and `debrief run` do this when they start; with several workers, "
        "run it every few minutes (cron, a systemd timer)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--older-than",
            type=duration,
            default=STALE_AFTER,
            help="Only tasks running for longer than this: 600, 10m, 1h (default: 10m).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = requeue_stale_tasks(options["older_than"])
        if count:
            self.stdout.write(f"Queued again {count} task(s) whose worker stopped mid-task.")
        elif options["verbosity"] > 1:
            self.stdout.write("No stale tasks.")
