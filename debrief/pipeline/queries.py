"""Reads of the sales core shared by the pages, the API and the CLI: one deal filter serves
them all, so the pipeline page and `/api/v1/deals` always agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from debrief.pipeline.models import Deal, DealContact, DealStatus

SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "amount": ("-amount", "-pk"),
    "close": ("expected_close_date", "pk"),
    "name": ("name", "pk"),
}


@dataclass
class DealFilters:
    """What the pipeline can be narrowed by. Every field is optional."""

    q: str = ""
    owner: int | None = None
    team: int | None = None
    stage: int | None = None
    status: str = ""
    customer: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    close_from: dt.date | None = None
    close_to: dt.date | None = None
    sort: str = "newest"

    @classmethod
    def from_params(cls, params: Any) -> DealFilters:
        """Parse query parameters (a QueryDict or a dict), naming the field of any bad value."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            raw = str(raw).strip()
            try:
                if f.name in ("owner", "team", "stage", "customer"):
                    values[f.name] = int(raw)
                elif f.name in ("amount_min", "amount_max"):
                    values[f.name] = Decimal(raw)
                    if not values[f.name].is_finite():
                        raise InvalidOperation
                elif f.name in ("close_from", "close_to"):
                    values[f.name] = dt.date.fromisoformat(raw)
                else:
                    values[f.name] = raw
            except (ValueError, InvalidOperation):
                kind = {"amount_min": "a number", "amount_max": "a number"}.get(
                    f.name,
                    "a date (YYYY-MM-DD)" if f.name.startswith("close") else "a whole number",
                )
                errors[f.name] = f"{raw!r} is not {kind}."
        errors |= _choice_errors(values.get("status", ""), values.get("sort", ""))
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    def __post_init__(self) -> None:
        # For values parsed elsewhere (the API's typed query): the choices are checked here.
        if errors := _choice_errors(self.status, self.sort):
            raise ValidationError(errors)

    def apply(self, qs: QuerySet[Deal]) -> QuerySet[Deal]:
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(customer__name__icontains=self.q))
        if self.owner is not None:
            qs = qs.filter(owner_id=self.owner)
        if self.team is not None:
            qs = qs.filter(team_id=self.team)
        if self.stage is not None:
            qs = qs.filter(stage_id=self.stage)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.customer is not None:
            qs = qs.filter(customer_id=self.customer)
        if self.amount_min is not None:
            qs = qs.filter(amount__gte=self.amount_min)
        if self.amount_max is not None:
            qs = qs.filter(amount__lte=self.amount_max)
        # The close period means the actual close date of a closed deal, else the expected one.
        if self.close_from is not None:
            qs = qs.filter(
                Q(closed_on__gte=self.close_from)
                | Q(closed_on__isnull=True, expected_close_date__gte=self.close_from)
            )
        if self.close_to is not None:
            qs = qs.filter(
                Q(closed_on__lte=self.close_to)
                | Q(closed_on__isnull=True, expected_close_date__lte=self.close_to)
            )
        return qs.order_by(*SORTS.get(self.sort, SORTS["newest"]))


def _choice_errors(status: str, sort: str) -> dict[str, str]:
    errors = {}
    if status and status not in DealStatus.values:
        errors["status"] = f"Status is one of {', '.join(DealStatus.values)}."
    if sort and sort not in SORTS:
        errors["sort"] = f"Sort by one of {', '.join(SORTS)}."
    return errors


def deal_list(qs: QuerySet[Deal]) -> QuerySet[Deal]:
    """What every list of deals shows, fetched in a fixed number of queries."""
    return qs.select_related("customer", "owner", "team", "stage").prefetch_related("products")


def deal_detail(qs: QuerySet[Deal]) -> QuerySet[Deal]:
    """Everything the deal page shows, except the timeline, which is paged on its own."""
    return qs.select_related("customer", "owner", "team", "stage").prefetch_related(
        "products",
        "competitors",
        Prefetch("deal_contacts", queryset=DealContact.objects.select_related("contact")),
    )


def deal_timeline(deal: Deal, limit: int = 100) -> list[Any]:
    return list(deal.events.select_related("actor")[:limit])
