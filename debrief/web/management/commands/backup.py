"""`debrief backup FILE`: every record of the organisation in one file, which `debrief restore`
puts back into a database, SQLite or PostgreSQL, whichever it came from."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Rebuilt by `migrate` (content types, permissions) or worthless elsewhere (sessions).
# Content types and permissions are re-created by migrate; data versions (web/answers.py)
# change on restore anyway.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "web.dataversion"]
SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.xz", ".jsonl.bz2")


def check_name(path: Path) -> None:
    if not path.name.endswith(SUFFIXES):
        raise CommandError(
            f"{path.name}: name the file .jsonl, or .jsonl.gz, .jsonl.xz or .jsonl.bz2 "
            "to compress it."
        )


class Command(BaseCommand):
    help = (
        "Write every record (deals, losses, debriefs, practices, users, settings, the audit "
        "trail, queued tasks...) to FILE as JSON lines, compressed when FILE ends .gz, .xz or "
        ".bz2. Safe while Debrief runs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="e.g. backups/debrief-2026-11-24.jsonl.gz")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        check_name(file)
        file.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and moved into place, so FILE is never a half-written backup; the
        # extension stays last, so dumpdata compresses it the same way.
        partial = file.with_name(file.name.replace(".jsonl", ".partial.jsonl", 1))
        # One transaction: one consistent snapshot on PostgreSQL while others write.
        with transaction.atomic():
            call_command(
                "dumpdata",
                format="jsonl",
                exclude=NOT_BACKED_UP,
                natural_foreign=True,
                output=str(partial),
                verbosity=0,
            )
        partial.replace(file)
        self.stdout.write(f"Backed up to {file} ({file.stat().st_size:,} bytes).")
