"""`debrief restore FILE`: replace every record with those of a `debrief backup` file, all or
nothing."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from debrief.audit.recorder import paused
from debrief.pipeline.signals import pipeline_data_changed
from debrief.web.management.commands.backup import check_name


class Command(BaseCommand):
    help = (
        "Replace ALL data with the backup in FILE (from `debrief backup`, on SQLite or "
        "PostgreSQL). The database must be migrated to the same version first "
        "(`debrief migrate`). All or nothing: if anything in the file is wrong, nothing "
        "changes. Stop the web server and the worker while it runs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Don't ask before replacing the data."
        )

    def handle(self, *args: Any, file: Path, yes: bool, **options: Any) -> None:
        check_name(file)
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Nothing restored: add --yes to replace the data unasked.")
            answer = input("This replaces every record with the backup's. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        with paused(), transaction.atomic():
            # flush re-creates content types and permissions, which the backup refers to by
            # natural key, so their ids may differ from the source database's.
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(file), verbosity=0)
            pipeline_data_changed()  # answers kept from before the restore are stale
        self.stdout.write(f"Restored {file}.")
