"""`debrief import PATH... --format F`: import deals from CRM exports and the public data sets,
with the same action as the upload page."""

from __future__ import annotations

import json
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from debrief.imports.actions import ImportReport, import_files
from debrief.imports.formats import FORMATS
from debrief.imports.models import ImportRun
from debrief.org.models import User


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place; silent when stderr is no terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.live or (time.monotonic() - self.last < 0.2 and done != total):
            return
        self.last = time.monotonic()
        if total == 0:
            line = f"Checking rows… {done:,}"
        else:
            width = 30
            filled = width * done // max(total, 1)
            line = f"Writing [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        self.stream.write(f"\r{line:<70}")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


class Command(BaseCommand):
    # The URL and API checks cost seconds at start-up and say nothing about an import.
    requires_system_checks: list[str] = []
    help = (
        "Import deals from CSV files: Salesforce, HubSpot or Pipedrive exports, the IBM, Maven "
        "and Salvirt public data sets, or any CSV with a --mapping file. Every row is checked "
        "first; any error and nothing is written (unless --skip-invalid). Importing the same "
        "file again changes nothing. Exit status: 0 imported, 1 failed (nothing written), "
        "2 imported with invalid rows skipped. See docs/imports.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), dest="fmt")
        parser.add_argument(
            "--mapping", type=Path, help="JSON mapping file (required by --format csv)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, write nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and list the others, instead of importing nothing.",
        )
        parser.add_argument(
            "--encoding", help="The files' encoding (default: UTF-8, else Windows-1252)."
        )
        parser.add_argument(
            "--as", dest="as_email", metavar="EMAIL", help="Who imports (recorded on the run)."
        )
        parser.add_argument("--json", action="store_true", help="Print the full report as JSON.")
        parser.add_argument(
            "--no-after-import",
            action="store_true",
            help="Skip what other apps redo after an import (the insights rollups): for bulk "
            "loads, followed by `debrief insights rebuild`.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["as_email"]:
            by = User.objects.filter(email__iexact=options["as_email"]).first()
            if by is None:
                raise CommandError(f"No user with the email {options['as_email']}.")
        paths: list[Path] = options["paths"]
        mapping = options["mapping"]
        run = ImportRun.objects.create(
            created_by=by,
            format=options["fmt"],
            file_names=[p.name for p in paths],
            paths=[str(p.resolve()) for p in paths],
            options={
                "dry_run": options["dry_run"],
                "skip_invalid": options["skip_invalid"],
                "encoding": options["encoding"],
                "mapping": str(mapping) if mapping else None,
            },
        )
        bar = ProgressBar(sys.stderr)
        try:
            report = import_files(
                paths,
                options["fmt"],
                by=by,
                mapping=mapping,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                encoding=options["encoding"],
                run=run,
                progress=bar,
                callbacks=not options["no_after_import"],
            )
        finally:
            bar.close()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, default=str))
        else:
            self.stdout.write(describe(report))
        if report.failed:
            raise CommandError(report.summary(), returncode=1)
        if report.skipped:
            sys.exit(2)


def describe(report: ImportReport) -> str:
    """The report as text for a terminal."""
    lines = [report.summary()]
    for name, how in report.encodings.items():
        lines.append(f"  {name}: read as {how}")
    labels = [
        ("Stages created", report.stages_created),
        ("Loss reasons created", report.reasons_created),
        ("Owners created (inactive)", report.owners_created[:20]),
        ("Teams created", report.teams_created),
        ("Products created", report.products_created[:20]),
        ("Competitors created", report.competitors_created[:20]),
    ]
    for label, names in labels:
        if names:
            lines.append(f"  {label}: {', '.join(names)}")
    for label, mapped in (
        ("Stages mapped", report.stages_mapped),
        ("Reasons mapped", report.reasons_mapped),
    ):
        if mapped:
            lines.append(f"  {label}: " + ", ".join(f"{k} → {v}" for k, v in mapped.items()))
    for what, count in report.reconciled.items():
        lines.append(f"  Reconciled {what} ({count} rows)")
    if report.customers_created:
        lines.append(f"  Customers created: {report.customers_created}")
    if report.losses_created:
        lines.append(f"  Loss records created: {report.losses_created}")
    if report.duplicates:
        shown = ", ".join(
            f"row {d['row']} ({d['external_id']})" for d in report.duplicate_rows[:10]
        )
        more = "…" if report.duplicates > 10 else ""
        lines.append(f"  Repeated ids, first row kept: {report.duplicates} rows: {shown}{more}")
    for note in report.notes:
        lines.append(f"  {note}")
    for error in report.errors[:50]:
        where = f"row {error['row']}" if error["row"] else "file"
        column = f", column {error['column']!r}" if error["column"] else ""
        value = f", value {error['value']!r}" if error["value"] else ""
        lines.append(f"  Error at {where}{column}{value}: {error['message']}")
    if report.errors_total > 50:
        lines.append(f"  … and {report.errors_total - 50} more errors (--json lists up to 1000)")
    return "\n".join(lines)
