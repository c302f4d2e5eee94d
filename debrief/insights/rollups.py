"""Keeping the rollups current: what one deal (or customer) adds to them — its *fact* — how a
fact expands into rollup rows, applying the difference when a deal changes, and rebuilding
everything in bulk. The dashboards never read deals; they read what this module writes."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from debrief.insights.models import AttributeDimension, Contribution, DayCount, Rollup

# A rollup row's key: (metric, dimension, group, month "YYYY-MM-01", owner_id, team_id, key).
type RKey = tuple[str, str, str, str, int, int, str]
# A day-count row's key: the same plus the number of days.
type DKey = tuple[str, str, str, str, int, int, str, int]
type Fact = dict[str, Any]

NONE_GROUP = "(none)"
# Built-in dimensions stored as rollup rows of metric "deals" (owner, team, month and quarter
# come from the columns every row has).
STORED_DIMENSIONS = ("segment", "region", "source", "product", "competitor", "stage-at-loss")
MEND_WEEKS = 31  # under a month: "weeks"
MEND_MONTHS = 365  # under a year: "months"; a year or more: "years"
DEBRIEF_WITHIN_DAYS = 21
# The owner or team of a row that counts every owner or team; the month of a row that counts
# every month.
ANY = -1
ALL_TIME = "1900-01-01"
CHUNK = 5000


def _month(day: dt.date) -> str:
    return day.replace(day=1).isoformat()


def _local_day(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


class Delta:
    """Counts to add to (or, negative, subtract from) rollup and day-count rows."""

    def __init__(self) -> None:
        # [count, amount in cents, unpriced]
        self.rows: dict[RKey, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.days: Counter[DKey] = Counter()

    def add_fact(self, fact: Fact | None, sign: int = 1) -> None:
        if not fact:
            return
        for rkey, count, amount, unpriced in _expand_rows(fact):
            row = self.rows[rkey]
            row[0] += sign * count
            row[1] += sign * amount
            row[2] += sign * unpriced
        for dkey in _expand_days(fact):
            self.days[dkey] += sign

    def nonzero(self) -> tuple[dict[RKey, list[Any]], dict[DKey, int]]:
        """The changes to write: each owner-and-month row also counts in its team's row, in
        everyone's row, and in the all-time rows of the three (see `_levels`)."""
        rows: dict[RKey, list[Any]] = defaultdict(lambda: [0, 0, 0])
        for key, (count, amount, unpriced) in self.rows.items():
            for level in _levels(key):
                row = rows[level]
                row[0] += count
                row[1] += amount
                row[2] += unpriced
        days: Counter[DKey] = Counter()
        for dkey, count in self.days.items():
            for level in _levels(dkey):
                days[level] += count
        return (
            {
                k: [v[0], Decimal(v[1]).scaleb(-2), v[2]]
                for k, v in rows.items()
                if v[0] or v[1] or v[2]
            },
            {k: v for k, v in days.items() if v},
        )


def _levels(key: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """A row per owner per month is what a rep reads; a manager reads their team's rows
    (owner ANY) and everyone else everyone's (owner and team ANY); without a period they read
    the all-time rows (month ALL_TIME). So a dashboard reads a handful of rows whatever the
    number of deals, owners or months."""
    metric, dimension, group, month, owner, team, *rest = key
    for m in (month, ALL_TIME):
        for o, t in ((owner, team), (ANY, team), (ANY, ANY)):
            yield (metric, dimension, group, m, o, t, *rest)


# --- facts: what one deal or customer contributes --------------------------------------------


def _amount(amount: Decimal | None, currency: str, org_currency: str) -> int | None:
    """The amount in cents. Amounts are summed in the organisation's currency only: a deal in
    another currency is counted but its amount is left out (there are no exchange rates to
    convert with)."""
    if amount is None or currency.upper() != org_currency:
        return None
    return int(amount * 100)


def deal_facts(lo: int, hi: int) -> dict[int, Fact]:
    """The facts of the deals with lo <= id < hi, in a fixed number of queries."""
    from debrief.learning.models import MatchStatus, PracticeMatch
    from debrief.losses.models import Debrief, Lesson, LossRecord, LossRecordReason, OwnItReview
    from debrief.meetings.models import BadMeeting, Meeting
    from debrief.org.models import Organisation
    from debrief.pipeline.models import Deal

    org = Organisation.current()
    currency = org.currency.upper()
    threshold = org.major_deal_threshold
    headers = list(AttributeDimension.objects.values_list("header", flat=True))
    fields = [
        "pk",
        "owner_id",
        "team_id",
        "status",
        "amount",
        "currency",
        "created_at",
        "closed_on",
        "source",
        "customer__segment",
        "customer__region",
    ]
    if headers:
        fields.append("attributes")
    facts: dict[int, Fact] = {}
    for row in Deal.objects.filter(pk__gte=lo, pk__lt=hi).order_by().values_list(*fields):
        pk, owner, team, status, amount, cur, created_at, closed_on, source, seg, reg = row[:11]
        created = _local_day(created_at)
        closed = closed_on if status != "open" else None
        fact: Fact = {
            "o": owner,
            "t": team or 0,
            "s": status,
            "m": _month(closed or created),
            "a": _amount(amount, cur, currency),
            "seg": seg or NONE_GROUP,
            "reg": reg or NONE_GROUP,
            "src": source or NONE_GROUP,
            "prod": [],
            "comp": [],
            "cd": (closed - created).days if closed and closed >= created else None,
            "bad": False,
            "cr": created.isoformat(),
        }
        if headers:
            attributes = row[11] if isinstance(row[11], dict) else {}
            fact["attrs"] = {h: str(attributes.get(h) or "") or NONE_GROUP for h in headers}
        facts[pk] = fact
    if not facts:
        return facts
    in_range = {"deal_id__gte": lo, "deal_id__lt": hi}
    for deal_id, name in (
        Deal.products.through.objects.filter(**in_range)
        .order_by("deal_id", "product__name")
        .values_list("deal_id", "product__name")
    ):
        facts[deal_id]["prod"].append(name)
    for deal_id, name in (
        Deal.competitors.through.objects.filter(**in_range)
        .order_by("deal_id", "competitor__name")  # the same lists on every database
        .values_list("deal_id", "competitor__name")
    ):
        facts[deal_id]["comp"].append(name)
    for (deal_id,) in (
        BadMeeting.objects.filter(meeting__deal_id__gte=lo, meeting__deal_id__lt=hi)
        .order_by()
        .values_list("meeting__deal_id")
    ):
        facts[deal_id]["bad"] = True
    meetings: dict[int, Counter[str]] = defaultdict(Counter)
    for deal_id, starts_at, result, author, planned_at in (
        Meeting.objects.filter(**in_range)
        .order_by()
        .values_list(
            "deal_id", "starts_at", "outcome__result", "plan__author_id", "plan__updated_at"
        )
    ):
        # Planned: someone wrote the plan, and its last change came before the meeting.
        planned = author is not None and planned_at is not None and planned_at <= starts_at
        meetings[deal_id][f"{_month(_local_day(starts_at))}|{result or ''}|{int(planned)}"] += 1
    for deal_id, counts in meetings.items():
        facts[deal_id]["mt"] = dict(counts)

    # The deal's standing loss record (a reopened one no longer counts).
    losses: dict[int, Fact] = {}
    loss_deal: dict[int, int] = {}
    loss_of_deal: dict[int, int] = {}
    for loss_id, deal_id, lost_on, amount, cur, outcome, stage in (
        LossRecord.objects.filter(reopened_at__isnull=True, **in_range)
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "deal_id",
            "lost_on",
            "amount_at_loss",
            "currency",
            "outcome_type__name",
            "stage_at_loss__name",
        )
    ):
        if deal_id in loss_of_deal:  # two standing losses: the later one counts
            stale = loss_of_deal[deal_id]
            del loss_deal[stale], losses[stale]
        loss_deal[loss_id] = deal_id
        loss_of_deal[deal_id] = loss_id
        priced = _amount(amount, cur, currency)
        losses[loss_id] = {
            "on": lost_on.isoformat(),
            "m": _month(lost_on),
            "a": priced,
            "ot": outcome,
            "sal": stage,
            "r": [],
            "c": [],
            "rep": "",
            "cust": "",
            "major": priced is not None and priced >= threshold * 100,
        }
    if losses:
        loss_range = {"loss__deal_id__gte": lo, "loss__deal_id__lt": hi}
        for loss_id, name in (
            LossRecordReason.objects.filter(**loss_range)
            .order_by("reason__name")
            .values_list("loss_id", "reason__name")
        ):
            if loss_id in losses and name not in losses[loss_id]["r"]:
                losses[loss_id]["r"].append(name)
        for loss_id, name in (
            LossRecord.competitors.through.objects.filter(
                lossrecord__deal_id__gte=lo, lossrecord__deal_id__lt=hi
            )
            .order_by("lossrecord_id", "competitor__name")
            .values_list("lossrecord_id", "competitor__name")
        ):
            if loss_id in losses:
                losses[loss_id]["c"].append(name)
        for loss_id, name in (
            OwnItReview.objects.filter(decisive_reason__isnull=False, **loss_range)
            .order_by()
            .values_list("loss_id", "decisive_reason__name")
        ):
            if loss_id in losses:
                losses[loss_id]["rep"] = name
        held: dict[int, dt.date] = {}
        for loss_id, held_at, name in (
            Debrief.objects.filter(**loss_range)
            .order_by()
            .values_list("loss_id", "held_at", "customer_decisive_reason__name")
        ):
            if loss_id not in losses:
                continue
            losses[loss_id]["cust"] = name or ""
            if held_at is not None:
                held[loss_id] = _local_day(held_at)
        lesson_at: dict[int, dt.date] = {}
        for loss_id, first in (
            Lesson.objects.filter(**loss_range)
            .order_by()
            .values("loss_id")
            .annotate(first=Min("created_at"))
            .values_list("loss_id", "first")
        ):
            lesson_at[loss_id] = _local_day(first)
        applied_at: dict[int, dt.date] = {}
        for loss_id, first in (
            PracticeMatch.objects.filter(
                status=MatchStatus.APPLIED,
                decided_at__isnull=False,
                practice__source_lessons__loss__deal_id__gte=lo,
                practice__source_lessons__loss__deal_id__lt=hi,
            )
            .order_by()
            .values("practice__source_lessons__loss_id")
            .annotate(first=Min("decided_at"))
            .values_list("practice__source_lessons__loss_id", "first")
        ):
            applied_at[loss_id] = _local_day(first)
        for loss_id, loss in losses.items():
            lost_on = dt.date.fromisoformat(loss["on"])
            if loss_id in held:
                loss["dd"] = max((held[loss_id] - lost_on).days, 0)
            if loss_id in lesson_at:
                loss["dl"] = max((lesson_at[loss_id] - lost_on).days, 0)
                if loss_id in applied_at:
                    loss["dp"] = max((applied_at[loss_id] - lesson_at[loss_id]).days, 0)
            fact = facts[loss_deal[loss_id]]
            fact["loss"] = loss
            if fact["s"] == "lost":
                # A loss may be recorded days after it happened: the loss record's date is
                # when the deal closed.
                fact["m"] = loss["m"]
                created = dt.date.fromisoformat(fact.pop("cr"))
                fact["cd"] = (lost_on - created).days if lost_on >= created else None
    for fact in facts.values():
        fact.pop("cr", None)
    return facts


def customer_facts(lo: int, hi: int) -> dict[int, Fact]:
    """Relationship damage episodes of the customers with lo <= id < hi, each with how it
    ended: mended after n days, lost for good, or still open."""
    from debrief.pipeline.models import Customer
    from debrief.relationships.models import RelationshipEvent, RelationshipEventKind

    damaged = {"strained", "broken"}
    owners = {
        pk: (owner or 0, team or 0)
        for pk, owner, team in Customer.objects.filter(pk__gte=lo, pk__lt=hi)
        .order_by()
        .values_list("pk", "owner_id", "team_id")
    }
    episodes: dict[int, list[list[Any]]] = defaultdict(list)
    start: dict[int, dt.datetime] = {}
    for customer_id, to_status, at, data in (
        RelationshipEvent.objects.filter(
            kind=RelationshipEventKind.STATUS_CHANGED,
            relationship__customer_id__gte=lo,
            relationship__customer_id__lt=hi,
        )
        .order_by("relationship__customer_id", "at", "pk")
        .values_list("relationship__customer_id", "to_status", "at", "data")
    ):
        if to_status in damaged:
            start.setdefault(customer_id, at)
        elif customer_id in start and to_status in ("restored", "intact", "lost_for_good"):
            began = start.pop(customer_id)
            month = _month(_local_day(began))
            if to_status == "lost_for_good":
                episodes[customer_id].append([month, "never", None])
            else:
                days = (data or {}).get("days_to_mend")
                days = int(days) if days is not None else (at - began).days
                episodes[customer_id].append([month, mend_bucket(days), days])
    for customer_id, began in start.items():
        episodes[customer_id].append([_month(_local_day(began)), "open", None])
    facts: dict[int, Fact] = {}
    for customer_id, eps in episodes.items():
        owner, team = owners.get(customer_id, (0, 0))
        facts[customer_id] = {"o": owner, "t": team, "ep": eps}
    return facts


def mend_bucket(days: int) -> str:
    if days < MEND_WEEKS:
        return "weeks"
    if days < MEND_MONTHS:
        return "months"
    return "years"


# --- expanding a fact into rollup rows ---------------------------------------------------------


def _expand_rows(fact: Fact) -> Iterator[tuple[RKey, int, int, int]]:
    o, t = fact["o"], fact["t"]
    if "ep" in fact:
        for month, bucket, _days in fact["ep"]:
            yield ("mend", "", "", month, o, t, bucket), 1, 0, 0
        return
    month, status = fact["m"], fact["s"]
    amount = fact["a"] or 0
    unpriced = 0 if fact["a"] is not None else 1
    loss = fact.get("loss")

    def deals(dimension: str, group: str) -> tuple[RKey, int, int, int]:
        return ("deals", dimension, group, month, o, t, status), 1, amount, unpriced

    yield deals("", "")
    yield deals("segment", fact["seg"])
    yield deals("region", fact["reg"])
    yield deals("source", fact["src"])
    for product in fact["prod"] or [NONE_GROUP]:
        yield deals("product", product)
    competitors = sorted(set(fact["comp"]) | set(loss["c"] if loss else []))
    for competitor in competitors or [NONE_GROUP]:
        yield deals("competitor", competitor)
    if status == "lost" and loss:
        yield deals("stage-at-loss", loss["sal"])
    for header, value in fact.get("attrs", {}).items():
        yield deals(f"attr:{header}", value)
    for key, n in fact.get("mt", {}).items():
        m_month, result, planned = key.split("|")
        yield ("meetings", "", "", m_month, o, t, result or "none"), n, 0, 0
        if planned == "1":
            yield ("meetings", "", "", m_month, o, t, "planned"), n, 0, 0
    if loss:
        l_month = loss["m"]
        l_amount = loss["a"] or 0
        l_unpriced = 0 if loss["a"] is not None else 1

        def lost(metric: str, group: str, key: str = "") -> tuple[RKey, int, int, int]:
            return (metric, "", group, l_month, o, t, key), 1, l_amount, l_unpriced

        for reason in loss["r"]:
            yield lost("loss-reasons", reason)
        yield lost("outcome-types", loss["ot"])
        for competitor in loss["c"] or [NONE_GROUP]:
            yield lost("competitors", competitor)
        if loss["rep"]:
            yield lost("reason-gap", loss["rep"], "rep")
        if loss["cust"]:
            yield lost("reason-gap", loss["cust"], "customer")
        yield lost("loop", "", "losses")
        if loss["r"]:
            yield lost("loop", "", "with-reason")
        if loss["major"]:
            yield lost("loop", "", "major")
            if loss.get("dd") is not None and loss["dd"] <= DEBRIEF_WITHIN_DAYS:
                yield lost("loop", "", "major-debriefed")


def _expand_days(fact: Fact) -> Iterator[DKey]:
    o, t = fact["o"], fact["t"]
    if "ep" in fact:
        for month, bucket, days in fact["ep"]:
            if days is not None and bucket != "never":
                yield ("mend", "", "", month, o, t, "mended", days)
        return
    if fact["cd"] is not None and fact["s"] in ("won", "lost"):
        key = f"{fact['s']}:{'bad' if fact['bad'] else 'ok'}"
        yield ("cycle", "", "", fact["m"], o, t, key, fact["cd"])
    loss = fact.get("loss")
    if loss:
        for key, field in (
            ("loss-debrief", "dd"),
            ("loss-lesson", "dl"),
            ("lesson-practice", "dp"),
        ):
            if loss.get(field) is not None:
                yield ("loop", "", "", loss["m"], o, t, key, loss[field])


# --- writing ------------------------------------------------------------------------------------

_RFIELDS = ("metric", "dimension", "group", "month", "owner_id", "team_id", "key")


def _apply(rows: dict[RKey, list[Any]], days: dict[DKey, int]) -> None:
    """Add these changes to the stored rows in a few queries: read (and lock) the rows they
    touch, then update, create and delete (a row whose count falls to 0) in bulk."""
    _apply_to(Rollup, _RFIELDS, {k: list(v) for k, v in rows.items()})
    _apply_to(DayCount, (*_RFIELDS, "days"), {k: [v] for k, v in days.items()})


def _apply_to(
    model: type[Rollup] | type[DayCount],
    fields: tuple[str, ...],
    changes: dict[Any, list[Any]],
) -> None:
    if not changes:
        return
    sums = ("count", "amount", "unpriced") if model is Rollup else ("count",)
    superset = {f"{f}__in": list({k[i] for k in changes}) for i, f in enumerate(fields)}
    existing: dict[tuple[Any, ...], Rollup | DayCount] = {}
    for obj in model.objects.select_for_update().filter(**superset):
        key = tuple(
            getattr(obj, f).isoformat() if f == "month" else getattr(obj, f) for f in fields
        )
        existing[key] = obj
    updated: list[Any] = []
    created: list[Any] = []
    emptied: list[Any] = []
    for key, values in changes.items():
        found = existing.get(key)
        if found is None:
            if values[0] <= 0:  # nothing to take away from
                continue
            created.append(
                model(**dict(zip(fields, key, strict=True)), **dict(zip(sums, values, strict=True)))
            )
            continue
        for name, value in zip(sums, values, strict=True):
            setattr(found, name, getattr(found, name) + value)
        (emptied if found.count <= 0 else updated).append(found)
    if updated:
        model.objects.bulk_update(updated, list(sums))
    if emptied:
        model.objects.filter(pk__in=[o.pk for o in emptied]).delete()
    if created:
        model.objects.bulk_create(created)


def _refresh(source: str, source_id: int, new: Fact | None) -> None:
    try:
        _refresh_once(source, source_id, new)
    except IntegrityError:  # a concurrent change created one of the same rows: add to it
        _refresh_once(source, source_id, new)


def _refresh_once(source: str, source_id: int, new: Fact | None) -> None:
    with transaction.atomic():
        old_row = (
            Contribution.objects.select_for_update()
            .filter(source=source, source_id=source_id)
            .first()
        )
        delta = Delta()
        delta.add_fact(old_row.fact if old_row else None, -1)
        delta.add_fact(new, 1)
        _apply(*delta.nonzero())
        if new is None:
            if old_row:
                old_row.delete()
        elif old_row:
            old_row.fact = new
            old_row.save(update_fields=["fact"])
        else:
            Contribution.objects.create(source=source, source_id=source_id, fact=new)


def refresh_deal(deal_id: int) -> None:
    """Bring the rollups up to date with one deal: subtract what it added last time, add what
    it adds now."""
    _refresh("deal", deal_id, deal_facts(deal_id, deal_id + 1).get(deal_id))


def refresh_customer(customer_id: int) -> None:
    _refresh("customer", customer_id, customer_facts(customer_id, customer_id + 1).get(customer_id))


def _chunks(ids_max: int | None) -> Iterable[tuple[int, int]]:
    if ids_max is None:
        return []
    return ((lo, lo + CHUNK) for lo in range(0, ids_max + 1, CHUNK))


def rebuild() -> dict[str, int]:
    """Throw the rollups away and recompute them from every deal and customer, a chunk of ids
    at a time (a fixed number of queries per chunk), writing rows in bulk."""
    from debrief.pipeline.models import Customer, Deal

    with transaction.atomic():
        Rollup.objects.all().delete()
        DayCount.objects.all().delete()
        Contribution.objects.all().delete()
        delta = Delta()
        sources = 0
        for source, facts_of, top in (
            ("deal", deal_facts, Deal.objects.aggregate(m=Max("pk"))["m"]),
            ("customer", customer_facts, Customer.objects.aggregate(m=Max("pk"))["m"]),
        ):
            for lo, hi in _chunks(top):
                facts = facts_of(lo, hi)
                for fact in facts.values():
                    delta.add_fact(fact)
                Contribution.objects.bulk_create(
                    Contribution(source=source, source_id=pk, fact=fact)
                    for pk, fact in facts.items()
                )
                sources += len(facts)
        rows, days = delta.nonzero()
        Rollup.objects.bulk_create(
            (
                Rollup(**dict(zip(_RFIELDS, k, strict=True)), count=c, amount=a, unpriced=u)
                for k, (c, a, u) in rows.items()
            ),
            batch_size=2000,
        )
        DayCount.objects.bulk_create(
            (
                DayCount(**dict(zip((*_RFIELDS, "days"), k, strict=True)), count=c)
                for k, c in days.items()
            ),
            batch_size=2000,
        )
    with connection.cursor() as cursor:  # fresh planner statistics for the new rows
        for model in (Rollup, DayCount):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {"sources": sources, "rollups": len(rows), "day_counts": len(days)}


def ensure_attribute(header: str) -> None:
    """Start keeping rollups for an imported column: register it and add its rows for every
    deal (one pass over the deals, once per header)."""
    from debrief.pipeline.models import Deal

    if AttributeDimension.objects.filter(header=header).exists():
        return
    with transaction.atomic():
        AttributeDimension.objects.create(header=header)
        delta = Delta()
        for lo, hi in _chunks(Deal.objects.aggregate(m=Max("pk"))["m"]):
            facts = deal_facts(lo, hi)
            olds = dict(
                Contribution.objects.filter(
                    source="deal", source_id__gte=lo, source_id__lt=hi
                ).values_list("source_id", "fact")
            )
            changed = []
            for pk, fact in facts.items():
                delta.add_fact(olds.get(pk), -1)
                delta.add_fact(fact, 1)
                changed.append(Contribution(source="deal", source_id=pk, fact=fact))
            Contribution.objects.filter(source="deal", source_id__gte=lo, source_id__lt=hi).delete()
            Contribution.objects.bulk_create(changed)
        _apply(*delta.nonzero())
