"""`debrief mark_lost FILE.csv --as EMAIL`: mark many deals lost at once, each row through
the same `mark_deal_lost` action as the page and the API. All rows or none."""

from __future__ import annotations

import csv
import datetime as dt
from argparse import RawDescriptionHelpFormatter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.db import transaction

from debrief.audit.recorder import acting_as
from debrief.losses import actions
from debrief.losses.models import DebriefConsent, LossReason, OutcomeType
from debrief.org import access
from debrief.org.models import User
from debrief.pipeline.models import Competitor, Deal

COLUMNS = (
    "deal",
    "outcome_type",
    "reasons",
    "primary_reason",
    "competitors",
    "note",
    "debrief_consent",
    "relationship_damaged",
    "lost_on",
)
REQUIRED = ("deal", "outcome_type", "reasons")
# Longer than any name or id in Debrief: refused before it reaches a lookup (SQLite refuses
# a LIKE pattern over 50,000 bytes). Notes may be long.
MAX_CELL = 500

HELP = """\
Mark deals lost from a CSV file, each row through the same action as the deal page and the
API: the loss record, the rep's own-it review, and the customer debrief when the customer
agreed or was not asked. Every row is checked first; if any row is wrong, nothing at all is
saved and each problem is listed with its row and column.

The first line names the columns, in any order:
  deal                  required  the deal's id in Debrief, or its external id from an
                                  import
  outcome_type          required  an outcome type's name, e.g. "Lost to a competitor"
  reasons               required  one or more reason names separated by ";", e.g.
                                  "Price; Timing"
  primary_reason        optional  the main reason, one of `reasons`; default: the first one
  competitors           optional  names of the competitors who won, separated by ";"
  note                  optional  the rep's note
  debrief_consent       optional  did the customer agree to a debrief call: yes, no or
                                  not_asked (the default)
  relationship_damaged  optional  did the loss damage the relationship: yes (the
                                  default: it is marked strained, to be mended) or no
                                  (you parted on good terms)
  lost_on               optional  YYYY-MM-DD, not in the future; default: today

Names are matched ignoring case; retired reasons and outcome types are refused. Row 1 is
the header, so the first deal is on row 2. The --as user records the losses and must be
allowed to change every deal in the file (their own; a manager's team's; an admin's any).

Example file:
  deal,outcome_type,reasons,primary_reason,debrief_consent,lost_on
  1042,Lost to a competitor,Price;Missing capability,Missing capability,yes,2026-03-02
  CRM-7731,No decision,No decision or priority,,not_asked,
"""


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keeps the column table of the help as written; this command's options come first."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        value = f" ({self.value!r})" if self.value is not None else ""
        return f"row {self.row}, column {self.column}{value}: {self.message}"


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


class _Rollback(Exception):
    """Raised inside the outer transaction to undo a dry run or a run with problems."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE.csv", help="The CSV file.")
        parser.add_argument(
            "--as", dest="email", required=True, metavar="EMAIL", help="Who records the losses."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save none.")
        parser.add_argument("--encoding", default="utf-8-sig", help="Default: utf-8-sig.")

    def handle(
        self, *args: Any, path: Path, email: str, dry_run: bool, encoding: str, **options: Any
    ) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user {email}.")
        if not access.can_write(user):
            raise CommandError(f"--as: {user.email} is an analyst; analysts don't change deals.")
        rows = self._read(path, encoding)
        problems: list[Problem] = []
        done: list[tuple[int, Deal]] = []
        try:
            with acting_as(user), transaction.atomic():
                for number, row in rows:
                    try:
                        deal, data = self._parse(number, row, user)
                        with transaction.atomic():
                            actions.mark_deal_lost(deal, user, data)
                        done.append((number, deal))
                    except RowProblems as exc:
                        problems += exc.problems
                    except ValidationError as exc:
                        problems += _action_problems(number, exc)
                if problems or dry_run:
                    # Undoes every row, and drops the emails and reminders they queued.
                    raise _Rollback
        except _Rollback:
            pass
        if problems:
            raise CommandError(
                f"Nothing saved: {len(problems)} problem(s) in {path}:\n"
                + "\n".join(f"  {p}" for p in problems)
            )
        if options["verbosity"] >= 2:
            for number, deal in done:
                self.stdout.write(f"row {number}: deal {deal.pk} {deal.name}")
        verb = "would be marked lost (dry run: nothing saved)" if dry_run else "marked lost"
        self.stdout.write(f"{len(done)} deal(s) {verb}.")

    def _read(self, path: Path, encoding: str) -> list[tuple[int, dict[str, str]]]:
        """The file's rows by row number (the header is row 1), keyed by column name."""
        try:
            with path.open(newline="", encoding=encoding) as handle:
                reader = csv.reader(handle)
                try:
                    lines = list(reader)
                except csv.Error as exc:
                    raise CommandError(f"{path}: line {reader.line_num}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path}: not {encoding} text ({exc}); give the file's encoding with --encoding."
            ) from exc
        except (OSError, LookupError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if not lines:
            raise CommandError(f"{path}: the file is empty; its first line names the columns.")
        header = [name.strip().lower() for name in lines[0]]
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c and c not in COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            raise CommandError(
                f"{path}: {'; '.join(parts)}. The columns are: {', '.join(COLUMNS)} (see --help)."
            )
        rows = []
        for number, values in enumerate(lines[1:], start=2):
            if not any(v.strip() for v in values):
                continue  # a blank line, e.g. at the end of a spreadsheet export
            rows.append((number, dict(zip(header, values, strict=False))))
        return rows

    def _parse(self, number: int, row: dict[str, str], user: User) -> tuple[Deal, Any]:
        problems: list[Problem] = []

        def problem(column: str, value: str, message: str) -> None:
            problems.append(Problem(number, column, message, value))

        for column, cell in row.items():
            if "\x00" in cell:
                problems.append(Problem(number, column, "contains a NUL character."))
            elif len(cell) > MAX_CELL and column != "note":
                problems.append(
                    Problem(
                        number, column, f"too long ({len(cell)} characters; at most {MAX_CELL})."
                    )
                )
        if problems:
            raise RowProblems(problems)
        value = (row.get("deal") or "").strip()
        editable = access.deals_editable_by(user)
        deal = editable.filter(pk=int(value)).first() if value.isdecimal() else None
        if deal is None and value:
            deal = editable.filter(external_id=value).first()
        if deal is None:
            message = "no such deal that you may change." if value else "give the deal's id."
            problem("deal", value, message)
        outcome_name = (row.get("outcome_type") or "").strip()
        outcome = OutcomeType.objects.filter(name__iexact=outcome_name).first()
        if outcome is None:
            problem("outcome_type", outcome_name, "not on the outcome type list.")
        reasons = []
        for name in _split(row.get("reasons")):
            found = LossReason.objects.filter(name__iexact=name).first()
            if found is None:
                problem("reasons", name, "not on the reason list.")
            else:
                reasons.append(found)
        primary_name = (row.get("primary_reason") or "").strip()
        primary = LossReason.objects.filter(name__iexact=primary_name).first()
        if primary_name and primary is None:
            problem("primary_reason", primary_name, "not on the reason list.")
        competitors = []
        for name in _split(row.get("competitors")):
            competitor = Competitor.objects.filter(name__iexact=name).first()
            if competitor is None:
                problem("competitors", name, "not on the competitor list.")
            else:
                competitors.append(competitor)
        consent = (row.get("debrief_consent") or "").strip().lower() or DebriefConsent.NOT_ASKED
        damaged = (row.get("relationship_damaged") or "").strip().lower() or "yes"
        if damaged not in ("yes", "no"):
            problem("relationship_damaged", damaged, "yes or no.")
        lost_on_raw = (row.get("lost_on") or "").strip()
        lost_on = None
        try:
            lost_on = dt.date.fromisoformat(lost_on_raw) if lost_on_raw else None
        except ValueError:
            problem("lost_on", lost_on_raw, "not a date (YYYY-MM-DD).")
        if problems:
            raise RowProblems(problems)
        assert deal is not None
        return deal, actions.LossInput(
            outcome_type=outcome,
            reasons=reasons or ([primary] if primary else []),
            primary_reason=primary or (reasons[0] if reasons else None),
            competitors=competitors,
            note=row.get("note") or "",
            debrief_consent=consent,
            relationship_damaged=damaged != "no",
            lost_on=lost_on,
        )


def _action_problems(number: int, exc: ValidationError) -> list[Problem]:
    """The action's refusals, under the column each field comes from."""
    if not hasattr(exc, "error_dict"):
        return [Problem(number, "-", " ".join(exc.messages))]
    return [
        Problem(number, field if field != "__all__" else "-", " ".join(messages))
        for field, messages in exc.message_dict.items()
    ]


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]
