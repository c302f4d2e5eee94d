"""What the home page reads: the signed-in user's pipeline at a glance, in a fixed number of
queries however many deals they can see. Everything starts from `access.deals_visible_to`.

Amounts are only added up in the organisation's currency: a sum of dollars and yen means
nothing. Deals in other currencies are counted, and the page says how many were left out of
the sums."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Model, Q, QuerySet, Sum
from django.utils import timezone

from debrief.org import access
from debrief.org.models import Organisation, Role, Team, User
from debrief.pipeline.models import Deal, DealEvent, DealStatus

DUE_WITHIN_DAYS = 7
RESULTS_WINDOW_DAYS = 90
LIST_LIMIT = 10


@dataclass
class Row:
    """One line of a breakdown table: a rep or a team and how their deals stand."""

    pk: int
    name: str
    open_count: int = 0
    open_value: Decimal = Decimal(0)
    won: int = 0
    lost: int = 0


@dataclass
class Home:
    scope: str  # "own", "teams" or "organisation": what the figures cover
    today: dt.date
    month_start: dt.date
    month_end: dt.date
    due_by: dt.date
    currency: str
    figures: dict[str, Any]
    next_steps: list[Deal]
    closing: list[Deal]
    activity: list[DealEvent]
    reps: list[Row] = field(default_factory=list)
    teams: list[Row] = field(default_factory=list)


@dataclass
class _Period:
    today: dt.date
    month_start: dt.date
    month_end: dt.date
    due_by: dt.date
    since: dt.date

    @classmethod
    def around(cls, today: dt.date) -> _Period:
        last_day = calendar.monthrange(today.year, today.month)[1]
        return cls(
            today=today,
            month_start=today.replace(day=1),
            month_end=today.replace(day=last_day),
            due_by=today + dt.timedelta(days=DUE_WITHIN_DAYS),
            since=today - dt.timedelta(days=RESULTS_WINDOW_DAYS),
        )

    @property
    def closing(self) -> Q:
        return Q(
            status=DealStatus.OPEN, expected_close_date__range=(self.month_start, self.month_end)
        )

    @property
    def due(self) -> Q:
        return Q(status=DealStatus.OPEN, next_step_date__lte=self.due_by)


def _results(period: _Period, currency: str, *, full: bool) -> dict[str, Any]:
    """The aggregates of a breakdown row; `full` adds those only the headline figures show.
    Values add up only the deals in `currency`."""
    open_q = Q(status=DealStatus.OPEN)
    ours = Q(currency=currency)
    figures: dict[str, Any] = {
        "open_count": Count("pk", filter=open_q),
        "open_value": Sum("amount", filter=open_q & ours, default=Decimal(0)),
        "won": Count("pk", filter=Q(status=DealStatus.WON, closed_on__gte=period.since)),
        "lost": Count("pk", filter=Q(status=DealStatus.LOST, closed_on__gte=period.since)),
    }
    if full:
        figures |= {
            "open_valued": Count("pk", filter=open_q & ours),
            "closing_count": Count("pk", filter=period.closing),
            "closing_value": Sum("amount", filter=period.closing & ours, default=Decimal(0)),
            "closing_valued": Count("pk", filter=period.closing & ours),
            "due_count": Count("pk", filter=period.due),
            "overdue_count": Count("pk", filter=open_q & Q(next_step_date__lt=period.today)),
        }
    return figures


def _by(deals: QuerySet[Deal], key: str, figures: dict[str, Any]) -> dict[int, dict[str, Any]]:
    rows = deals.values(f"{key}_id").annotate(**figures).order_by()
    return {row.pop(f"{key}_id"): row for row in rows}


def _headline(figures: dict[str, Any]) -> dict[str, Any]:
    closed = figures["won"] + figures["lost"]
    figures["win_rate"] = round(100 * figures["won"] / closed) if closed else None
    valued = figures["open_valued"]
    figures["average_open"] = figures["open_value"] / valued if valued else Decimal(0)
    # Open deals in other currencies: counted, but left out of the sums.
    figures["open_other_currency"] = figures["open_count"] - valued
    figures["closing_other_currency"] = figures["closing_count"] - figures["closing_valued"]
    return figures


def _first[M: Model](qs: QuerySet[M], *order: str, related: tuple[str, ...]) -> list[M]:
    """The first rows in this order, with their related rows. The rows are chosen before
    anything is joined: databases otherwise join every candidate row, then sort."""
    chosen = qs.order_by(*order).values("pk")[:LIST_LIMIT]
    model: type[M] = qs.model
    return list(
        model._default_manager.filter(pk__in=chosen).select_related(*related).order_by(*order)
    )


def _rows(names: dict[int, str], figures: dict[int, dict[str, Any]]) -> list[Row]:
    rows = [Row(pk=pk, name=name, **figures.get(pk, {})) for pk, name in names.items()]
    return sorted(rows, key=lambda r: (-r.open_value, r.name))


def _rep_names(user: User, scope: str, owner_ids: list[int]) -> dict[int, str]:
    """Everyone the table should list: the people who own the deals counted, plus the reps
    of the user's teams who have none yet (an empty row is news for a manager)."""
    people = Q(pk__in=owner_ids)
    if scope == "organisation":
        people |= Q(is_active=True, role=Role.REP)
    else:
        people |= Q(teams__in=access.managed_team_ids(user))
    return dict(User.objects.filter(people).distinct().values_list("pk", "full_name"))


def home_for(user: User) -> Home:
    period = _Period.around(timezone.localdate())
    scope = access.home_scope(user)
    currency = Organisation.current().currency
    deals = access.deals_visible_to(user)
    # Every figure is about open deals or deals closed within the window: reading only
    # those spares a pass over years of closed history.
    current = deals.filter(Q(status=DealStatus.OPEN) | Q(closed_on__gte=period.since))
    events = DealEvent.objects.all()
    if scope != "organisation":
        events = events.filter(deal__in=deals)
    listed = ("customer", "owner", "stage")
    home = Home(
        scope=scope,
        today=period.today,
        month_start=period.month_start,
        month_end=period.month_end,
        due_by=period.due_by,
        currency=currency,
        figures=_headline(current.aggregate(**_results(period, currency, full=True))),
        next_steps=_first(deals.filter(period.due), "next_step_date", "pk", related=listed),
        closing=_first(
            deals.filter(period.closing), "expected_close_date", "-amount", "pk", related=listed
        ),
        activity=_first(events, "-at", "-pk", related=("deal", "actor")),
    )
    if scope != "own":
        by_owner = _by(current, "owner", _results(period, currency, full=False))
        home.reps = _rows(_rep_names(user, scope, list(by_owner)), by_owner)
    if scope == "organisation":
        by_team = _by(current, "team", _results(period, currency, full=False))
        home.teams = _rows(dict(Team.objects.values_list("pk", "name")), by_team)
    return home
