"""`debrief mark_lost FILE.csv --as EMAIL`: mark many deals lost at once, each row through
the same `mark_deal_lost` action as the page and the API. All rows or none."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

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
    "lost_on",
)
REQUIRED = ("deal", "outcome_type", "reasons")


class RowError(Exception):
    def __init__(self, column: str, value: str, message: str) -> None:
        super().__init__(message)
        self.column, self.value, self.message = column, value, message


class Command(BaseCommand):
    help = (
        "Mark deals lost from a CSV file with the columns: deal (id, or external id), "
        "outcome_type, reasons (names separated by ';'), primary_reason (optional, default "
        "the first reason), competitors (optional, ';'-separated), note, debrief_consent "
        "(yes / no / not_asked; default not_asked), lost_on (YYYY-MM-DD; default today). "
        "Every row is checked first; if any row is wrong nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="email", required=True, help="Who records the losses.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, save none.")
        parser.add_argument("--encoding", default="utf-8-sig")

    def handle(
        self, *args: Any, path: Path, email: str, dry_run: bool, encoding: str, **options: Any
    ) -> None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user {email}.")
        try:
            with path.open(newline="", encoding=encoding) as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if rows:
            missing = [c for c in REQUIRED if c not in rows[0]]
            if missing:
                raise CommandError(f"{path}: missing column(s) {', '.join(missing)}.")
        errors: list[str] = []
        done = 0
        try:
            with transaction.atomic():
                for number, row in enumerate(rows, start=2):  # row 1 is the header
                    try:
                        deal, data = self._parse(row, user)
                        with transaction.atomic():
                            actions.mark_deal_lost(deal, user, data)
                        done += 1
                    except RowError as exc:
                        errors.append(
                            f"row {number}, column {exc.column} ({exc.value!r}): {exc.message}"
                        )
                    except ValidationError as exc:
                        for field, messages in exc.message_dict.items():
                            errors.append(f"row {number}, column {field}: {' '.join(messages)}")
                if errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
        if errors:
            raise CommandError(
                f"Nothing saved: {len(errors)} problem(s) in {path}:\n" + "\n".join(errors)
            )
        verb = "would be marked lost (dry run: nothing saved)" if dry_run else "marked lost"
        self.stdout.write(f"{done} deal(s) {verb}.")

    def _parse(self, row: dict[str, str], user: User) -> tuple[Deal, actions.LossInput]:
        value = (row.get("deal") or "").strip()
        visible = access.deals_editable_by(user)
        deal = None
        if value.isdigit():
            deal = visible.filter(pk=int(value)).first()
        if deal is None and value:
            deal = visible.filter(external_id=value).first()
        if deal is None:
            raise RowError("deal", value, "no such deal that you may change.")
        outcome_name = (row.get("outcome_type") or "").strip()
        outcome = OutcomeType.objects.filter(name__iexact=outcome_name).first()
        if outcome is None:
            raise RowError("outcome_type", outcome_name, "not on the outcome type list.")
        reasons = [self._reason(n, "reasons") for n in _split(row.get("reasons"))]
        primary_name = (row.get("primary_reason") or "").strip()
        primary = self._reason(primary_name, "primary_reason") if primary_name else None
        competitors = []
        for name in _split(row.get("competitors")):
            competitor = Competitor.objects.filter(name__iexact=name).first()
            if competitor is None:
                raise RowError("competitors", name, "not on the competitor list.")
            competitors.append(competitor)
        consent = (row.get("debrief_consent") or DebriefConsent.NOT_ASKED).strip()
        lost_on_raw = (row.get("lost_on") or "").strip()
        try:
            lost_on = dt.date.fromisoformat(lost_on_raw) if lost_on_raw else None
        except ValueError:
            raise RowError("lost_on", lost_on_raw, "not a date (YYYY-MM-DD).") from None
        return deal, actions.LossInput(
            outcome_type=outcome,
            reasons=reasons or ([primary] if primary else []),
            primary_reason=primary or (reasons[0] if reasons else None),
            competitors=competitors,
            note=row.get("note") or "",
            debrief_consent=consent,
            lost_on=lost_on,
        )

    def _reason(self, name: str, column: str) -> LossReason:
        reason = LossReason.objects.filter(name__iexact=name).first()
        if reason is None:
            raise RowError(column, name, "not on the reason list.")
        return reason


class _Rollback(Exception):
    """Raised inside the outer transaction to undo a dry run or a run with errors."""


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]
