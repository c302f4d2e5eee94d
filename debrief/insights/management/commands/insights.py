"""`debrief insights METRIC [--by DIMENSION] [--from DATE] [--to DATE] [--json]`: the figures
the insights pages show; `debrief insights rebuild` recomputes the rollups from scratch."""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from debrief.insights import metrics, rollups
from debrief.org.models import Role, User


class Command(BaseCommand):
    help = (
        "Show an insight (win-rate, loss-reasons, outcome-types, competitors, reason-gap, "
        "sales-cycle, meeting-outcomes, time-to-mend, loop-health) over every team, or as "
        "--as USER sees it; `rebuild` recomputes the rollups the insights read."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("metric", help="A metric name, or `rebuild`.")
        parser.add_argument(
            "--by",
            default=None,
            help=f"Group by: {', '.join(metrics.DIMENSIONS)}, or attr:<imported column>.",
        )
        parser.add_argument("--from", dest="start", default=None, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", default=None, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--as", dest="as_user", default=None, help="Scope to a user's view.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["metric"] == "rebuild":
            started = time.monotonic()
            counts = rollups.rebuild()
            self.stdout.write(
                f"Rebuilt the insights from {counts['sources']:,} deals and customers: "
                f"{counts['rollups']:,} rollup rows, {counts['day_counts']:,} day counts "
                f"in {time.monotonic() - started:.1f} s."
            )
            return
        user = self._user(options["as_user"])
        try:
            result = metrics.compute(
                user,
                options["metric"],
                by=options["by"],
                start=metrics.parse_date(options["start"], "--from"),
                end=metrics.parse_date(options["end"], "--to"),
            )
        except metrics.MetricError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2, default=str))
            return
        self._table(result)

    def _user(self, email: str | None) -> User:
        if not email:
            # The command line is the operator's: it reads every team, like an analyst.
            return User(email="cli@localhost", role=Role.ANALYST, is_active=True)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user {email!r}.")
        return user

    def _table(self, result: metrics.Result) -> None:
        keys = [k for k, _label in result.columns]
        lines = [[label for _k, label in result.columns]]
        lines += [["" if r.get(k) is None else str(r.get(k)) for k in keys] for r in result.rows]
        widths = [max(len(line[i]) for line in lines) for i in range(len(keys))]
        for line in lines:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True))
            )
        overall = ", ".join(f"{k}: {v}" for k, v in result.overall.items())
        self.stdout.write(f"Overall — {overall}")
        if result.benchmark:
            self.stdout.write(f"Benchmark — {result.benchmark.get('label', '')}")
        for note in result.notes:
            self.stdout.write(f"Note — {note}")
        if result.too_few:
            self.stdout.write("Few records: read these figures with care.")
