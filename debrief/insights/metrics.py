"""The figures: every metric the insights pages, the API and `debrief insights` show, computed
from the rollups only (never from the deals), scoped to what the user may see. This is the one
interface the three of them use: `compute(user, metric, by=..., start=..., end=...)`."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum

from debrief.insights import rollups
from debrief.insights.models import DayCount, Rollup
from debrief.insights.rollups import ALL_TIME
from debrief.org import access
from debrief.org.models import Organisation, Team, User

# Grouping choices. `attr:<header>` (any imported column) is accepted too.
DIMENSIONS: dict[str, str] = {
    "owner": "Owner",
    "team": "Team",
    "product": "Product",
    "segment": "Segment",
    "region": "Region",
    "source": "Source",
    "competitor": "Competitor",
    "stage-at-loss": "Stage at loss",
    "month": "Month",
    "quarter": "Quarter",
}
ATTRIBUTE_PREFIX = "attr:"
# Dimensions every rollup row can be grouped by (its own columns).
_COLUMN_DIMENSIONS = ("owner", "team", "month", "quarter")
TOO_FEW = 20  # below this many closed deals (or items), a figure is flagged as thin

WIN_RATE_BAND = {"low": 0.21, "high": 0.30, "label": "Median B2B close rate: 21–30%"}
MEETINGS_BENCHMARK = {
    "valuable_share": 0.2,
    "label": "Prospects say fewer than 1 in 5 meetings with salespeople are valuable",
}
MEND_BENCHMARK = {
    "months_to_years": 0.64,
    "never": 0.06,
    "label": "After a bad meeting, 64% took months to years to mend; 6% never recovered",
}


@dataclass
class Result:
    metric: str
    by: str | None
    start: dt.date | None
    end: dt.date | None
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    overall: dict[str, Any]
    benchmark: dict[str, Any] | None = None
    too_few: bool = False
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "by": self.by,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "columns": [{"key": k, "label": label} for k, label in self.columns],
            "rows": self.rows,
            "overall": self.overall,
            "benchmark": self.benchmark,
            "too_few": self.too_few,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str
    dimensions: tuple[str, ...]  # the `by` choices it supports; attr:* if it has "attr"
    compute: Callable[[Scope], Result]

    def accepts(self, by: str) -> bool:
        if by.startswith(ATTRIBUTE_PREFIX):
            return "attr" in self.dimensions and len(by) > len(ATTRIBUTE_PREFIX)
        return by in self.dimensions


class MetricError(ValueError):
    """An unknown metric, dimension or period; the message says which."""


@dataclass
class Scope:
    """What a computation reads: whose rows, which months, grouped by what."""

    user: User
    metric: str
    by: str | None
    start: dt.date | None
    end: dt.date | None

    def filter(self, qs: QuerySet[Any], by: str | None = None) -> QuerySet[Any]:
        """The rollup rows to sum: the user's level (see `access.insight_rows_visible_to`), and the all-time
        rows unless a period or a grouping by month asks for the monthly ones."""
        qs = qs.filter(access.insight_rows_visible_to(self.user, by))
        if not (self.start or self.end or by in ("month", "quarter")):
            return qs.filter(month=ALL_TIME)
        qs = qs.exclude(month=ALL_TIME)
        if self.start:
            qs = qs.filter(month__gte=self.start.replace(day=1))
        if self.end:
            qs = qs.filter(month__lte=self.end.replace(day=1))
        return qs

    def result(self, **kwargs: Any) -> Result:
        return Result(metric=self.metric, by=self.by, start=self.start, end=self.end, **kwargs)


# --- reading the rollups -----------------------------------------------------------------------


def _labels(by: str, values: set[Any]) -> dict[Any, str]:
    if by == "owner":
        names = {u.pk: str(u) for u in User.objects.filter(pk__in=values)}
        return {v: names.get(v, "(nobody)") for v in values}
    if by == "team":
        teams = dict(Team.objects.filter(pk__in=values).values_list("pk", "name"))
        return {v: teams.get(v, "(no team)") for v in values}
    if by == "month":
        return {v: v.strftime("%Y-%m") for v in values}
    if by == "quarter":
        start = Organisation.current().fiscal_year_start_month
        return {v: _fiscal_quarter(v, start) for v in values}
    return {v: v for v in values}


def _fiscal_quarter(month: dt.date, start_month: int) -> str:
    """The organisation's quarter of a month: "2026-Q3" when the fiscal year is the calendar
    year; otherwise "FY2027-Q1", a fiscal year being named by the year it ends in."""
    quarter = (month.month - start_month) % 12 // 3 + 1
    if start_month == 1:
        return f"{month.year}-Q{quarter}"
    ends_in = month.year + 1 if month.month >= start_month else month.year
    return f"FY{ends_in}-Q{quarter}"


def _by_column(by: str | None) -> str | None:
    return {"owner": "owner_id", "team": "team_id", "month": "month", "quarter": "month"}.get(
        by or ""
    )


def sums(
    scope: Scope, metric: str, *, dimension: str = "", by: str | None = None
) -> dict[tuple[str, str, str], list[Any]]:
    """{(by-group label, group, key): [count, amount, unpriced]} summed over the rows in
    scope; by-group is "" unless `by` is one of the column dimensions."""
    column = _by_column(by)
    fields = ["group", "key"] + ([column] if column else [])
    rows = (
        scope.filter(Rollup.objects.filter(metric=metric, dimension=dimension), by)
        .order_by()
        .values(*fields)
        .annotate(c=Sum("count"), a=Sum("amount"), u=Sum("unpriced"))
    )
    raw = list(rows)
    labels = _labels(by or "", {r[column] for r in raw}) if column and by else {}
    out: dict[tuple[str, str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0), 0])
    for r in raw:
        label = labels[r[column]] if column else ""
        cell = out[(label, r["group"], r["key"])]
        cell[0] += r["c"] or 0
        cell[1] += r["a"] or Decimal(0)
        cell[2] += r["u"] or 0
    return out


def histograms(
    scope: Scope, metric: str, *, by: str | None = None
) -> dict[tuple[str, str], Counter[int]]:
    """{(by-group label, key): Counter(days → count)} from the day-count rows in scope."""
    column = _by_column(by)
    qs = (
        scope.filter(DayCount.objects.filter(metric=metric, dimension=""), by)
        .order_by()
        .values_list("key", "days", column or "key")
        .annotate(c=Sum("count"))
    )
    # Thousands of small rows (a histogram): read as plain tuples, skipping the ORM's
    # per-row conversions, which cost more than the query.
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    if column == "month":
        raw = [
            (k, d, g if isinstance(g, dt.date) else dt.date.fromisoformat(str(g)[:10]), c)
            for k, d, g, c in raw
        ]
    labels = _labels(by or "", {g for _k, _d, g, _c in raw}) if column and by else {}
    out: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for key, days, group, count in raw:
        out[(labels[group] if column else "", key)][int(days)] += int(count or 0)
    return out


def day_stats(days: Counter[int]) -> dict[str, Any]:
    """n, median, mean and p90 of a day-count histogram, exactly. Median of an even count is
    the mean of the two middle values; p90 is the nearest-rank 90th percentile."""
    n = sum(days.values())
    if n == 0:
        return {"deals": 0, "median": None, "mean": None, "p90": None}
    ordered = sorted(days.items())

    def nth(rank: int) -> int:  # 1-based
        seen = 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                return value
        return ordered[-1][0]

    if n % 2:
        median: float = nth(n // 2 + 1)
    else:
        pair = nth(n // 2) + nth(n // 2 + 1)
        median = pair // 2 if pair % 2 == 0 else pair / 2
    mean = sum(v * c for v, c in ordered) / n
    return {
        "deals": n,
        "median": median,
        "mean": round(mean, 1),
        "p90": nth(math.ceil(0.9 * n)),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


# --- the metrics -------------------------------------------------------------------------------


def _win_rate(scope: Scope) -> Result:
    by = scope.by
    dimension = "" if by is None or by in _COLUMN_DIMENSIONS else by
    data = sums(scope, "deals", dimension=dimension, by=by)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    for (label, group, status), (count, _amount, _u) in data.items():
        name = label if by in _COLUMN_DIMENSIONS else group
        groups[name][status] += count
        if dimension == "":
            total[status] += count
    if dimension:  # a deal may sit in several groups (products, competitors): total apart
        for (_l, _g, status), (count, _a, _u) in sums(scope, "deals").items():
            total[status] += count

    def row(group: str, c: Counter[str]) -> dict[str, Any]:
        return {
            "group": group,
            "won": c["won"],
            "lost": c["lost"],
            "win_rate": _rate(c["won"], c["won"] + c["lost"]),
        }

    rows = [row(g, groups[g]) for g in sorted(groups) if by is not None]
    rows = [r for r in rows if r["won"] + r["lost"]]
    overall = {**row("All", total), "open": total["open"]}
    notes = ["Win rate = won / (won + lost); open deals are left out."]
    if dimension in ("product", "competitor"):
        notes.append(f"A deal with several {dimension}s counts in each of their groups.")
    if dimension == "stage-at-loss":
        notes.append("Only lost deals have a stage at loss.")
    closed = total["won"] + total["lost"]
    return scope.result(
        columns=[
            ("group", DIMENSIONS.get(by or "", by or "Group")),
            ("won", "Won"),
            ("lost", "Lost"),
            ("win_rate", "Win rate"),
        ],
        rows=rows,
        overall=overall,
        benchmark=WIN_RATE_BAND,
        too_few=closed < TOO_FEW,
        notes=notes,
    )


def _by_group(scope: Scope, metric: str) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Losses per group of a loss metric, with the loop's counts (for the shares), read in
    one query."""
    loop: Counter[str] = Counter()
    rows = []
    for r in (
        scope.filter(Rollup.objects.filter(metric__in=[metric, "loop"], dimension=""))
        .order_by()
        .values("metric", "group", "key")
        .annotate(c=Sum("count"), a=Sum("amount"), u=Sum("unpriced"))
    ):
        if r["metric"] == "loop":
            loop[r["key"]] += r["c"] or 0
        else:
            rows.append(
                {
                    "group": r["group"],
                    "losses": r["c"] or 0,
                    "value": _money(r["a"] or Decimal(0)),
                    "unpriced": r["u"] or 0,
                }
            )
    rows.sort(key=lambda r: (-r["losses"], r["group"]))
    for row in rows:
        row["share"] = _rate(row["losses"], loop["losses"])
    return rows, loop


_LOSS_COLUMNS = [("losses", "Losses"), ("share", "Share of losses"), ("value", "Value")]


def _loss_reasons(scope: Scope) -> Result:
    rows, loop = _by_group(scope, "loss-reasons")
    losses = loop["losses"]
    return scope.result(
        columns=[("group", "Reason"), *_LOSS_COLUMNS],
        rows=rows,
        overall={"losses": losses, "with_reason": loop["with-reason"]},
        too_few=losses < TOO_FEW,
        notes=[
            "A loss with several reasons counts once under each; value is its amount at "
            "loss, in the organisation's currency."
        ],
    )


def _outcome_types(scope: Scope) -> Result:
    rows, loop = _by_group(scope, "outcome-types")
    losses = loop["losses"]
    return scope.result(
        columns=[("group", "Outcome"), *_LOSS_COLUMNS],
        rows=rows,
        overall={"losses": losses},
        too_few=losses < TOO_FEW,
    )


def _competitors(scope: Scope) -> Result:
    rows, loop = _by_group(scope, "competitors")
    losses = loop["losses"]
    return scope.result(
        columns=[("group", "Lost to"), *_LOSS_COLUMNS],
        rows=rows,
        overall={"losses": losses},
        too_few=losses < TOO_FEW,
        notes=[f"Losses with no competitor named are under {rollups.NONE_GROUP}."],
    )


def _reason_gap(scope: Scope) -> Result:
    data = sums(scope, "reason-gap")
    rep: Counter[str] = Counter()
    customer: Counter[str] = Counter()
    for (_l, group, side), (count, _a, _u) in data.items():
        (rep if side == "rep" else customer)[group] += count
    rep_total, customer_total = sum(rep.values()), sum(customer.values())
    rows = []
    for group in sorted(set(rep) | set(customer)):
        rs, cs = _rate(rep[group], rep_total), _rate(customer[group], customer_total)
        rows.append(
            {
                "group": group,
                "rep": rep[group],
                "customer": customer[group],
                "rep_share": rs,
                "customer_share": cs,
                "gap": round((rs or 0) - (cs or 0), 4),
            }
        )
    return scope.result(
        columns=[
            ("group", "Reason"),
            ("rep", "Rep says"),
            ("customer", "Customer says"),
            ("rep_share", "Rep share"),
            ("customer_share", "Customer share"),
            ("gap", "Gap"),
        ],
        rows=rows,
        overall={"rep": rep_total, "customer": customer_total},
        too_few=min(rep_total, customer_total) < TOO_FEW,
        notes=[
            "Rep: the decisive reason in the own-it review. Customer: the decisive reason "
            "the customer gave in the debrief. Gap = rep share − customer share."
        ],
    )


def _sales_cycle(scope: Scope) -> Result:
    hist = histograms(scope, "cycle", by=scope.by)
    rows: list[dict[str, Any]] = []
    everything: Counter[int] = Counter()
    parts: dict[str, Counter[int]] = defaultdict(Counter)
    per_group: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for (label, key), days in hist.items():
        status, bad = key.split(":")
        everything.update(days)
        parts[status].update(days)
        parts["with bad meeting" if bad == "bad" else "without bad meeting"].update(days)
        per_group[(label, status)].update(days)
    if scope.by is None:
        for name in ("won", "lost", "with bad meeting", "without bad meeting"):
            rows.append({"group": name, **day_stats(parts[name])})
    else:
        for label, status in sorted(per_group):
            rows.append({"group": label, "status": status, **day_stats(per_group[(label, status)])})
    columns = [("group", DIMENSIONS.get(scope.by or "", "Deals"))]
    if scope.by:
        columns.append(("status", "Status"))
    overall = {"group": "All closed", **day_stats(everything)}
    return scope.result(
        columns=[
            *columns,
            ("deals", "Deals"),
            ("median", "Median days"),
            ("mean", "Mean days"),
            ("p90", "90th percentile"),
        ],
        rows=rows,
        overall=overall,
        too_few=overall["deals"] < TOO_FEW,
        notes=["Days from the deal's creation to its close, for won and lost deals."],
    )


_RESULTS = {
    "advance": "Significant advance",
    "qualified_out": "Qualified out",
    "no_outcome": "No outcome",
    "none": "Not recorded",
}


def _meeting_outcomes(scope: Scope) -> Result:
    counts: Counter[str] = Counter()
    for (_l, _g, key), (count, _a, _u) in sums(scope, "meetings").items():
        counts[key] += count
    meetings = sum(counts[k] for k in _RESULTS)
    recorded = meetings - counts["none"]
    valuable = counts["advance"] + counts["qualified_out"]
    rows = [
        {"group": label, "meetings": counts[key], "share": _rate(counts[key], meetings)}
        for key, label in _RESULTS.items()
    ]
    return scope.result(
        columns=[("group", "Outcome"), ("meetings", "Meetings"), ("share", "Share")],
        rows=rows,
        overall={
            "meetings": meetings,
            "recorded": recorded,
            "valuable": valuable,
            "valuable_share": _rate(valuable, recorded),
            "planned": counts["planned"],
            "planned_share": _rate(counts["planned"], meetings),
        },
        benchmark=MEETINGS_BENCHMARK,
        too_few=recorded < TOO_FEW,
        notes=[
            "Valuable = a significant advance or a clear qualify-out, out of the meetings "
            "with a recorded outcome. Planned = a plan written before the meeting began."
        ],
    )


_BUCKETS = {"weeks": "Weeks", "months": "Months", "years": "Years", "never": "Never"}


def _time_to_mend(scope: Scope) -> Result:
    counts: Counter[str] = Counter()
    for (_l, _g, key), (count, _a, _u) in sums(scope, "mend").items():
        counts[key] += count
    finished = sum(counts[k] for k in _BUCKETS)
    rows = [
        {"group": label, "relationships": counts[key], "share": _rate(counts[key], finished)}
        for key, label in _BUCKETS.items()
    ]
    days = Counter[int]()
    for (_l, _k), hist in histograms(scope, "mend").items():
        days.update(hist)
    return scope.result(
        columns=[("group", "Time to mend"), ("relationships", "Relationships"), ("share", "Share")],
        rows=rows,
        overall={
            "episodes": finished + counts["open"],
            "finished": finished,
            "still_damaged": counts["open"],
            "months_to_years_share": _rate(counts["months"] + counts["years"], finished),
            "never_share": _rate(counts["never"], finished),
            "median_days": day_stats(days)["median"],
        },
        benchmark=MEND_BENCHMARK,
        too_few=finished < TOO_FEW,
        notes=[
            "From the day a relationship was first strained or broken to the day it was "
            "restored: weeks (under 31 days), months (under a year), years; never = lost "
            "for good. Still-damaged relationships are not in the shares."
        ],
    )


def _loop_counts(scope: Scope) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (_l, _g, key), (count, _a, _u) in sums(scope, "loop").items():
        counts[key] += count
    return counts


def _loop_health(scope: Scope) -> Result:
    counts = _loop_counts(scope)
    hist = histograms(scope, "loop")
    stats = {
        key: day_stats(hist.get(("", key), Counter()))
        for key in ("loss-debrief", "loss-lesson", "lesson-practice")
    }
    overall = {
        "losses": counts["losses"],
        "with_reason_share": _rate(counts["with-reason"], counts["losses"]),
        "major_losses": counts["major"],
        "major_debriefed_share": _rate(counts["major-debriefed"], counts["major"]),
        "median_days_loss_to_debrief": stats["loss-debrief"]["median"],
        "median_days_loss_to_lesson": stats["loss-lesson"]["median"],
        "median_days_lesson_to_practice": stats["lesson-practice"]["median"],
    }
    rows = [
        {
            "group": "Losses with a reason",
            "value": overall["with_reason_share"],
            "count": counts["with-reason"],
            "of": counts["losses"],
        },
        {
            "group": "Major losses debriefed within 21 days",
            "value": overall["major_debriefed_share"],
            "count": counts["major-debriefed"],
            "of": counts["major"],
        },
        {
            "group": "Median days from loss to debrief",
            "value": stats["loss-debrief"]["median"],
            "count": stats["loss-debrief"]["deals"],
            "of": counts["losses"],
        },
        {
            "group": "Median days from loss to first lesson",
            "value": stats["loss-lesson"]["median"],
            "count": stats["loss-lesson"]["deals"],
            "of": counts["losses"],
        },
        {
            "group": "Median days from lesson to first applied practice",
            "value": stats["lesson-practice"]["median"],
            "count": stats["lesson-practice"]["deals"],
            "of": counts["losses"],
        },
    ]
    return scope.result(
        columns=[("group", "Measure"), ("value", "Value"), ("count", "Count"), ("of", "Of")],
        rows=rows,
        overall=overall,
        too_few=counts["losses"] < TOO_FEW,
        notes=[
            "Major = amount at loss at or above the major-deal threshold (organisation "
            "currency). Debriefed = the customer debrief was held."
        ],
    )


_ALL = (*DIMENSIONS, "attr")
METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric("win-rate", "Win rate", "Won ÷ (won + lost), open deals excluded.", _ALL, _win_rate),
        Metric(
            "loss-reasons",
            "Loss reasons",
            "Losses by reason, by count and value.",
            (),
            _loss_reasons,
        ),
        Metric(
            "outcome-types",
            "Outcome types",
            "Losses by outcome: competitor, no decision, no budget...",
            (),
            _outcome_types,
        ),
        Metric(
            "competitors", "Competitors", "Who we lost to, by count and value.", (), _competitors
        ),
        Metric(
            "reason-gap",
            "Rep vs customer reasons",
            "The rep's decisive reason against the customer's.",
            (),
            _reason_gap,
        ),
        Metric(
            "sales-cycle",
            "Sales cycle",
            "Days from created to closed: median, mean, p90; with and without a bad meeting.",
            _COLUMN_DIMENSIONS,
            _sales_cycle,
        ),
        Metric(
            "meeting-outcomes",
            "Meeting outcomes",
            "Advance, qualified out or no outcome; plans made before meetings.",
            (),
            _meeting_outcomes,
        ),
        Metric(
            "time-to-mend",
            "Time to mend",
            "How long damaged relationships took to mend.",
            (),
            _time_to_mend,
        ),
        Metric(
            "loop-health",
            "Loop health",
            "Losses with a reason, major losses debriefed, days through the loop.",
            (),
            _loop_health,
        ),
    )
}


def parse_date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}", value):
        value += "-01"
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise MetricError(f"{name}: use YYYY-MM-DD, not {value!r}.") from exc


def compute(
    user: User,
    metric: str,
    *,
    by: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Result:
    """A metric's figures for what `user` may see, optionally grouped `by` a dimension and
    limited to the months from `start` to `end` (whole months, by close date)."""
    if metric not in METRICS:
        raise MetricError(f"Unknown metric {metric!r}; choose from {', '.join(METRICS)}.")
    m = METRICS[metric]
    by = by or None
    if by is not None and not m.accepts(by):
        choices = ", ".join(d if d != "attr" else "attr:<column>" for d in m.dimensions)
        raise MetricError(
            f"{metric} cannot be grouped by {by!r}"
            + (f"; choose from {choices}." if choices else "; it has no groupings.")
        )
    if start and end and start > end:
        raise MetricError("The period ends before it starts.")
    if by and by.startswith(ATTRIBUTE_PREFIX):
        rollups.ensure_attribute(by.removeprefix(ATTRIBUTE_PREFIX))
    return m.compute(Scope(user=user, metric=metric, by=by, start=start, end=end))
