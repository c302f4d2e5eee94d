"""`debrief worker`: the background task worker on its own: django-tasks-db's `db_worker`,
with the same options, minus autoreload unless asked for."""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = (
        "Run the background task worker (django-tasks-db's db_worker; autoreload is off "
        "unless --reload is given). `debrief worker --batch` runs what is queued and exits."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Reloading on code changes can cut a running task short; ask for it explicitly.
        parser.set_defaults(reload=False)
