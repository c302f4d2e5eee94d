"""CSV exports of deals, losses, debriefs and lessons, under the same access rules as their
pages. Each export is one query whatever its size (lists such as products or reasons are
joined in the database), streamed row by row, and safe to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Model, OuterRef, QuerySet, StringAgg, Subquery, Value
from django.http import StreamingHttpResponse
from django.utils import timezone

from debrief.losses.models import Debrief, Lesson, LossRecord, LossRecordReason
from debrief.org import access
from debrief.org.models import User
from debrief.pipeline.models import Deal
from debrief.web.csv import FORMULA_STARTS, csv_response

CHUNK = 2000
SEP = Value("; ")


def cell(value: Any) -> str | int | float | Decimal:
    """One value as a CSV cell: dates in ISO 8601 (times in UTC), lists already joined,
    numbers as numbers, and text that a spreadsheet would run as a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _joined(through: type[Model], outer: str, name: str) -> Subquery:
    """The names linked to the outer row through an M2M table, sorted and joined by "; ",
    as a correlated subquery: no query per row. SQLite before 3.44 cannot order inside an
    aggregate; there they come in the order they were linked."""
    ordered = connection.features.supports_aggregate_order_by_clause
    return Subquery(
        through._default_manager.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(joined=StringAgg(name, SEP, order_by=name if ordered else None))
        .values("joined")
    )


def _rows(qs: QuerySet[Any], fields: Sequence[str]) -> Iterator[list[Any]]:
    for row in qs.values_list(*fields).iterator(chunk_size=CHUNK):
        yield [cell(v) for v in row]


# Each export: (header, field) pairs and the query that fills them.
Columns = Sequence[tuple[str, str]]

DEAL_COLUMNS: Columns = (
    ("id", "pk"),
    ("name", "name"),
    ("customer", "customer__name"),
    ("segment", "customer__segment"),
    ("region", "customer__region"),
    ("owner", "owner__full_name"),
    ("owner_email", "owner__email"),
    ("team", "team__name"),
    ("stage", "stage__name"),
    ("status", "status"),
    ("amount", "amount"),
    ("currency", "currency"),
    ("products", "product_names"),
    ("competitors", "competitor_names"),
    ("source", "source"),
    ("created_at", "created_at"),
    ("expected_close_date", "expected_close_date"),
    ("closed_on", "closed_on"),
    ("next_step", "next_step"),
    ("next_step_date", "next_step_date"),
    ("external_source", "external_source"),
    ("external_id", "external_id"),
    ("attributes", "attributes"),
)


def deals(user: User) -> QuerySet[Deal]:
    return (
        access.deals_visible_to(user)
        .annotate(
            product_names=_joined(Deal.products.through, "deal", "product__name"),
            competitor_names=_joined(Deal.competitors.through, "deal", "competitor__name"),
        )
        .order_by("pk")
    )


LOSS_COLUMNS: Columns = (
    ("id", "pk"),
    ("deal_id", "deal_id"),
    ("deal", "deal__name"),
    ("customer", "deal__customer__name"),
    ("owner", "deal__owner__full_name"),
    ("team", "deal__team__name"),
    ("lost_on", "lost_on"),
    ("outcome_type", "outcome_type__name"),
    ("primary_reason", "primary_reason_name"),
    ("reasons", "reason_names"),
    ("competitors", "competitor_names"),
    ("stage_at_loss", "stage_at_loss__name"),
    ("amount_at_loss", "amount_at_loss"),
    ("currency", "currency"),
    ("debrief_consent", "debrief_consent"),
    ("note", "note"),
    ("recorded_by", "recorded_by__full_name"),
    ("reopened_at", "reopened_at"),
    ("created_at", "created_at"),
)


def losses(user: User) -> QuerySet[LossRecord]:
    primary = LossRecordReason.objects.filter(loss=OuterRef("pk"), is_primary=True)
    return (
        access.losses_visible_to(user)
        .annotate(
            primary_reason_name=Subquery(primary.values("reason__name")[:1]),
            reason_names=_joined(LossRecordReason, "loss", "reason__name"),
            competitor_names=_joined(
                LossRecord.competitors.through, "lossrecord", "competitor__name"
            ),
        )
        .order_by("pk")
    )


DEBRIEF_COLUMNS: Columns = (
    ("id", "pk"),
    ("loss_id", "loss_id"),
    ("deal", "loss__deal__name"),
    ("customer", "loss__deal__customer__name"),
    ("team", "loss__deal__team__name"),
    ("kind", "kind"),
    ("status", "status"),
    ("leader", "leader__full_name"),
    ("participants", "participant_names"),
    ("customer_contact", "customer_contact__name"),
    ("proposed_for", "proposed_for"),
    ("scheduled_for", "scheduled_for"),
    ("held_at", "held_at"),
    ("customer_decisive_reason", "customer_decisive_reason__name"),
    ("notes", "notes"),
    ("created_at", "created_at"),
)


def debriefs(user: User) -> QuerySet[Debrief]:
    return (
        access.debriefs_visible_to(user)
        .annotate(
            participant_names=_joined(Debrief.participants.through, "debrief", "user__full_name")
        )
        .order_by("pk")
    )


LESSON_COLUMNS: Columns = (
    ("id", "pk"),
    ("created_at", "created_at"),
    ("statement", "statement"),
    ("do_differently", "do_differently"),
    ("source", "source"),
    ("team", "team__name"),
    ("author", "author__full_name"),
    ("loss_id", "loss_id"),
    ("deal", "loss__deal__name"),
    ("customer", "loss__deal__customer__name"),
    ("debrief_id", "debrief_id"),
    ("tag_stage", "tag_stage__name"),
    ("tag_competitor", "tag_competitor__name"),
    ("tag_segment", "tag_segment"),
    ("tag_product", "tag_product"),
    ("tag_reason", "tag_reason__name"),
)


def lessons(user: User) -> QuerySet[Lesson]:
    return access.lessons_visible_to(user).order_by("pk")


EXPORTS: dict[str, tuple[Columns, Callable[[User], QuerySet[Any]]]] = {
    "deals": (DEAL_COLUMNS, deals),
    "losses": (LOSS_COLUMNS, losses),
    "debriefs": (DEBRIEF_COLUMNS, debriefs),
    "lessons": (LESSON_COLUMNS, lessons),
}


def export_rows(user: User, kind: str) -> Iterator[list[Any]]:
    """The header, then one row per record the user may see, oldest first."""
    columns, query = EXPORTS[kind]
    yield [header for header, _ in columns]
    yield from _rows(query(user), [field for _, field in columns])


def export_response(user: User, kind: str) -> StreamingHttpResponse:
    stamp = timezone.localdate().isoformat()
    return csv_response(f"debrief-{kind}-{stamp}.csv", export_rows(user, kind))
