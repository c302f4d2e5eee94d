"""Reads about customer relationships shared by the pages, the API and the home panels: the
Relationships list, a customer's time to mend, the aggregate time to mend set against the
research figures (64% mended in months to years, 6% never), and the recovery work due."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from debrief.notify import ics
from debrief.org.models import Organisation
from debrief.pipeline.models import Customer
from debrief.relationships import actions
from debrief.relationships.models import (
    DAMAGED,
    Relationship,
    RelationshipEvent,
    RelationshipEventKind,
    RelationshipStatus,
    Touchpoint,
)

# How long a mend took, in the research's words. A span of exactly 90 days is "within three
# months"; one of exactly 365 days is "three to twelve months".
WITHIN_3_MONTHS_DAYS = 90
WITHIN_A_YEAR_DAYS = 365
# A relationship still strained or broken this long after the damage counts as never restored.
NEVER_AFTER_DAYS = 365

# After a bad meeting, 64% of salespeople say mending the relationship took from a few months
# to several years; 6% never recovered it (PRODUCT.md, "Why it is needed").
BENCHMARK_MONTHS_TO_YEARS = 64
BENCHMARK_NEVER = 6

TOUCHPOINTS_DUE_DAYS = 7
RE_ENGAGEMENTS_DUE_DAYS = 30

# The list's status filter: "" is every relationship that is not intact.
NOT_INTACT = ""
STATUS_FILTERS = (
    (NOT_INTACT, "Not intact"),
    *((value, label) for value, label in RelationshipStatus.choices),
)

# Badge classes of app.css, by status: the colours say how worried to be.
STATUS_BADGES = {
    RelationshipStatus.INTACT: "badge-neutral",
    RelationshipStatus.STRAINED: "badge-warn",
    RelationshipStatus.BROKEN: "badge-lost",
    RelationshipStatus.RECOVERING: "badge-open",
    RelationshipStatus.RESTORED: "badge-won",
    RelationshipStatus.LOST_FOR_GOOD: "badge-lost",
}


# --- the Relationships list -----------------------------------------------------------------


def parse_status(value: str | None) -> str:
    """The list's status filter, checked: "" (not intact) or one of the statuses."""
    value = (value or "").strip()
    if value != NOT_INTACT and value not in RelationshipStatus.values:
        choices = ", ".join(RelationshipStatus.values)
        raise ValidationError({"status": f"Unknown status {value!r}: one of {choices}."})
    return value


def filter_status(qs: QuerySet[Relationship], status: str) -> QuerySet[Relationship]:
    if status == NOT_INTACT:
        return qs.exclude(status=RelationshipStatus.INTACT)
    return qs.filter(status=status)


def relationship_list(qs: QuerySet[Relationship]) -> QuerySet[Relationship]:
    """Worst first: strained and broken, then recovering, lost for good, restored and intact;
    within each, the oldest damage first. Each row carries its next open touchpoint (the
    first in the plan's order) as `next_touchpoint_on` and `next_touchpoint_description`."""
    next_open = Touchpoint.objects.filter(
        relationship=OuterRef("pk"), done_at__isnull=True
    ).order_by("order", "due_on", "pk")
    rank = Case(
        When(status__in=DAMAGED, then=Value(0)),
        When(status=RelationshipStatus.RECOVERING, then=Value(1)),
        When(status=RelationshipStatus.LOST_FOR_GOOD, then=Value(2)),
        When(status=RelationshipStatus.RESTORED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return (
        qs.select_related("customer__owner", "customer__team")
        .annotate(
            damage_rank=rank,
            next_touchpoint_on=Subquery(next_open.values("due_on")[:1]),
            next_touchpoint_description=Subquery(next_open.values("description")[:1]),
        )
        .order_by("damage_rank", F("damaged_since").asc(nulls_last=True), "status_since", "pk")
    )


def status_counts(qs: QuerySet[Relationship]) -> dict[str, int]:
    """How many relationships are in each status, every status present (one query)."""
    counts = dict.fromkeys(RelationshipStatus.values, 0)
    for row in qs.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


# --- one customer ---------------------------------------------------------------------------


def relationship_for_page(customer: Customer) -> Relationship:
    """The customer's relationship, or an unsaved intact one: reading never creates it."""
    found = Relationship.objects.filter(customer=customer).select_related(
        "re_engage_follow_up__owner"
    )
    return found.first() or Relationship(customer=customer)


def describe_event(event: RelationshipEvent) -> str:
    """The event as a sentence for the history."""
    labels = dict(RelationshipStatus.choices)
    if event.kind == RelationshipEventKind.STATUS_CHANGED:
        before = labels.get(event.from_status, event.from_status or "—")
        after = labels.get(event.to_status, event.to_status)
        text = f"{before} → {after}"
        if "days_to_mend" in event.data:
            days = int(event.data["days_to_mend"])
            text += f" after {days} day{'s' if days != 1 else ''}"
        return text
    if event.kind == RelationshipEventKind.REP_CHANGED:
        before = event.data.get("from") or "nobody"
        moved = len(event.data.get("moved_deal_ids", []))
        text = f"Rep changed from {before} to {event.data.get('to', '—')}"
        if moved:
            text += f"; {moved} open deal{'s' if moved != 1 else ''} moved"
        return text
    if event.kind == RelationshipEventKind.RE_ENGAGEMENT_SET:
        on = event.data.get("on", "")
        try:
            day = dt.date.fromisoformat(on)
        except (TypeError, ValueError):
            return f"Re-engagement set for {on}"
        return f"Re-engagement set for {day.day} {day:%b %Y}"
    if event.kind == RelationshipEventKind.TOUCHPOINT_DONE:
        return "Touchpoint done"
    return event.get_kind_display()


@dataclass(frozen=True)
class MendSpan:
    """One stretch from damage (strained or broken) to restored."""

    damaged_on: dt.date
    restored_on: dt.date
    days: int

    @property
    def bucket(self) -> str:
        return mend_bucket(self.days)


def mend_bucket(days: int) -> str:
    if days <= WITHIN_3_MONTHS_DAYS:
        return "within 3 months"
    if days <= WITHIN_A_YEAR_DAYS:
        return "3–12 months"
    return "over a year"


def mend_spans(relationship: Relationship) -> list[MendSpan]:
    """Each time this relationship was restored, oldest first, read from the events' stored
    `days_to_mend` (never recomputed)."""
    if relationship.pk is None:
        return []
    restored = _restorations(RelationshipEvent.objects.filter(relationship=relationship))
    spans = []
    for at, days in restored.order_by("at", "pk").values_list("at", "data__days_to_mend"):
        restored_on = timezone.localdate(at)
        spans.append(
            MendSpan(
                damaged_on=restored_on - dt.timedelta(days=int(days)),
                restored_on=restored_on,
                days=int(days),
            )
        )
    return spans


def _restorations(events: QuerySet[RelationshipEvent]) -> QuerySet[RelationshipEvent]:
    return events.filter(
        kind=RelationshipEventKind.STATUS_CHANGED,
        to_status=RelationshipStatus.RESTORED,
        data__has_key="days_to_mend",
    )


@dataclass(frozen=True)
class ReEngagementDefault:
    """The date proposed for coming back, and why that one."""

    on: dt.date
    why: str


def re_engagement_default(
    customer: Customer, today: dt.date | None = None, organisation: Organisation | None = None
) -> ReEngagementDefault:
    """ "There is always next year": the customer's renewal or budget date if it is ahead,
    else the start of the next fiscal year (the date from `actions.default_re_engagement_date`,
    the reason worded for the page)."""
    today = today or timezone.localdate()
    on = actions.default_re_engagement_date(customer, today)
    if customer.renewal_on and customer.renewal_on == on:
        return ReEngagementDefault(on, "the customer's renewal or budget date")
    org = organisation or Organisation.current()
    month = dt.date(2000, org.fiscal_year_start_month, 1).strftime("%B")
    why = f"the start of the next fiscal year (it starts in {month})"
    if customer.renewal_on is None:
        why += "; no renewal or budget date is on file for this customer"
    return ReEngagementDefault(on, why)


def re_engagement_ics(relationship: Relationship) -> bytes | None:
    """The re-engagement date as an all-day calendar reminder for whoever's follow-up it is
    (else the account owner); None while no date is set."""
    if relationship.re_engage_on is None:
        return None
    customer = relationship.customer
    follow_up = relationship.re_engage_follow_up
    owner = follow_up.owner if follow_up else customer.owner
    return ics.reminder(
        uid=f"re-engagement-{relationship.pk}",
        summary=f"Re-engage {customer.name}",
        description=relationship.re_engage_note
        or "There is always next year: reopen the conversation.",
        day=relationship.re_engage_on,
        owner=ics.Person(owner.full_name, owner.email) if owner else ics.Person("Debrief", ""),
    )


# --- time to mend, in aggregate ---------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class TimeToMend:
    """Every restored span of the relationships in scope, and the damaged relationships that
    were never restored. Shares are percentages with one decimal, None when there is nothing
    to divide by."""

    days: list[int] = field(default_factory=list)
    damaged: int = 0  # relationships ever strained, broken or lost for good
    never_restored: int = 0  # lost for good, or still strained/broken after a year

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median_days(self) -> float | None:
        return float(statistics.median(self.days)) if self.days else None

    @property
    def mean_days(self) -> float | None:
        return round(statistics.fmean(self.days), 1) if self.days else None

    @property
    def within_3_months(self) -> int:
        return sum(1 for d in self.days if d <= WITHIN_3_MONTHS_DAYS)

    @property
    def months_3_to_12(self) -> int:
        return sum(1 for d in self.days if WITHIN_3_MONTHS_DAYS < d <= WITHIN_A_YEAR_DAYS)

    @property
    def over_a_year(self) -> int:
        return sum(1 for d in self.days if d > WITHIN_A_YEAR_DAYS)

    @property
    def within_3_months_share(self) -> float | None:
        return _share(self.within_3_months, self.count)

    @property
    def months_3_to_12_share(self) -> float | None:
        return _share(self.months_3_to_12, self.count)

    @property
    def over_a_year_share(self) -> float | None:
        return _share(self.over_a_year, self.count)

    @property
    def months_or_more_share(self) -> float | None:
        """Mends that took more than three months: the research's "a few months to several
        years" (64%)."""
        return _share(self.months_3_to_12 + self.over_a_year, self.count)

    @property
    def never_restored_share(self) -> float | None:
        """Of the relationships ever damaged, those never restored (the research's 6%)."""
        return _share(self.never_restored, self.damaged)


def time_to_mend(
    relationships: QuerySet[Relationship], now: dt.datetime | None = None
) -> TimeToMend:
    """Time to mend over the relationships in scope, in two queries whatever their number.

    - Restored spans: every change to restored carrying `days_to_mend` (a relationship
      restored twice counts twice).
    - Damaged: relationships that were ever strained, broken or lost for good (any status
      other than intact says it was, even without its event).
    - Never restored: lost for good now, or strained or broken now since more than 365 days.
    """
    now = now or timezone.now()
    events = RelationshipEvent.objects.filter(
        relationship__in=relationships.order_by().values("pk")
    )
    days = [int(d) for d in _restorations(events).values_list("data__days_to_mend", flat=True)]
    ever_damaged = RelationshipEvent.objects.filter(
        relationship=OuterRef("pk"),
        kind=RelationshipEventKind.STATUS_CHANGED,
        to_status__in=[*DAMAGED, RelationshipStatus.LOST_FOR_GOOD],
    )
    never = Q(status=RelationshipStatus.LOST_FOR_GOOD) | Q(
        status__in=DAMAGED, damaged_since__lte=now - dt.timedelta(days=NEVER_AFTER_DAYS)
    )
    counts = (
        relationships.order_by()
        .filter(~Q(status=RelationshipStatus.INTACT) | Exists(ever_damaged))
        .aggregate(damaged=Count("pk"), never=Count("pk", filter=never))
    )
    return TimeToMend(days=sorted(days), damaged=counts["damaged"], never_restored=counts["never"])


# --- the recovery work that is due ----------------------------------------------------------


def touchpoints_due(
    touchpoints: QuerySet[Touchpoint],
    today: dt.date | None = None,
    within_days: int = TOUCHPOINTS_DUE_DAYS,
) -> QuerySet[Touchpoint]:
    """Open touchpoints due within the next week, or overdue, soonest first."""
    today = today or timezone.localdate()
    return (
        touchpoints.filter(done_at__isnull=True, due_on__lte=today + dt.timedelta(days=within_days))
        .select_related("relationship__customer", "owner")
        .order_by("due_on", "pk")
    )


def re_engagements_due(
    relationships: QuerySet[Relationship],
    today: dt.date | None = None,
    within_days: int = RE_ENGAGEMENTS_DUE_DAYS,
) -> QuerySet[Relationship]:
    """Re-engagements within the next 30 days, or past and not yet done, soonest first."""
    today = today or timezone.localdate()
    return (
        relationships.filter(
            re_engage_on__lte=today + dt.timedelta(days=within_days),
            re_engage_follow_up__isnull=False,
            re_engage_follow_up__done_at__isnull=True,
        )
        .select_related("customer", "re_engage_follow_up__owner")
        .order_by("re_engage_on", "pk")
    )
