"""`debrief worker`: the background task worker on its own: django-tasks-db's `db_worker`,
with the same options, minus autoreload unless asked for."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from debrief.web.management.commands.requeue_stale_tasks import requeue_stale_tasks


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (django-tasks-db's db_worker; autoreload is off "
        "unless --reload is given). `debrief worker --batch` runs what is queued and exits."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Reloading on code changes can cut a running task short; ask for it explicitly.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        # A task left RUNNING by a worker that died is queued again (see requeue_stale_tasks).
        requeued = requeue_stale_tasks()
        if requeued:
            self.stdout.write(f"Queued again {requeued} task(s) whose worker stopped mid-task.")
        super().handle(*args, **options)
