"""The demo organisation: a B2B software company's sales team with two years of pipeline
history, generated from a seed so that the same seed always gives the same data.

Users, teams, the organisation's settings, products and competitors go through the actions
like every other write. Customers, contacts, deals, their links, the loss loop and the event
rows do not: this module is the one documented exception to "writes go through actions",
because it seeds an empty database with up to hundreds of thousands of deals, and one action
call per deal and per stage change would take hours. It generates rows in memory and writes
them with plain multi-row INSERTs (COPY on PostgreSQL), 5,000 deals at a time, inside one
transaction, and produces exactly what the actions would have produced: a deal's status is
the kind of its stage, closed deals carry `closed_on` (the date of the closing event, as
`move_deal_stage` sets it), and every change (created, each stage move, won or lost, amount
and owner changes) has its `DealEvent` row, with the owner of the time as actor.

Every lost deal has what `mark_deal_lost` and the later steps of the loss loop leave: the
loss record (outcome type, one to three reasons with one primary, the competitors when one
won, stage and amount at loss, the rep's note, the debrief consent), the own-it review
(written for about 70%; the latest still wait), the debrief `schedule_debrief` proposes when
the customer agreed or was not asked (a manager-led post-mortem with the manager's follow-up
for a major deal), how far it got (older ones mostly held, with the customer's answers and
decisive reason, some declined, a few cancelled; recent ones proposed or scheduled), the
lessons drawn from held debriefs and own-it reviews, and the event row of each step with the
action's summary. The data shows what the product is for: reps name price as decisive far
more often than customers do, at least one rep is on a losing streak, and the latest major
loss more than three weeks old has its post-mortem overdue.

After the loss loop, `follow_through` adds the meetings (plans, outcomes, bad meetings),
each customer's relationship, and the teams' retros, practices and matches, from a random
stream of their own (so the deals and losses of a seed stay what they were), and then the
words of every deal are rebuilt for matching (`learning.actions.rebuild_deal_words`). Apps
that keep derived data register a rebuild in `after_load`. `-v 2` prints each phase's time.

The shape: 2 teams by region, each with a manager and 4 reps, an analyst and an admin; about
300 customers with 2–4 contacts; 2,000 deals created over the 24 months before the anchor
day. Exactly 60–65% of the deals are closed (the older ones mostly) and exactly 22–28% of
those are won, the rate set by the seed; referrals, partners, some reps and some competitors
win more often than others, so that insights have something to find.

Determinism: every random choice comes from one `random.Random(seed)`, drawn in a fixed
order. Dates hang off an anchor day (today unless given): the history ends the day before the
anchor, so for one seed the pipeline relative to the anchor is identical whatever the day
(debrief dates fall on business days, so they follow the calendar), and all of it is
identical outright for the same seed and anchor. Demo customers and deals carry
`external_source="demo"`, which is how `reset_demo` finds them again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import math
import random
import re
import time
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Field, Max, Model, ProtectedError, QuerySet
from django.utils import timezone

from debrief.demo import words
from debrief.demo.follow_through import FOLLOW_THROUGH_MODELS, FollowThrough, FollowThroughSummary
from debrief.learning.actions import rebuild_deal_words
from debrief.learning.models import BestPractice, Retro
from debrief.losses.actions import add_business_days, next_business_day_on_or_after
from debrief.losses.models import (
    DEBRIEF_QUESTIONS,
    Debrief,
    DebriefAnswer,
    DebriefKind,
    DebriefStatus,
    Lesson,
    LossReason,
    LossRecord,
    LossRecordReason,
    OutcomeType,
    OwnItReview,
)
from debrief.losses.queries import OVERDUE_AFTER_DAYS
from debrief.meetings.models import (
    BadMeeting,
    BadMeetingCauseRow,
    BadMeetingConsequenceRow,
    Meeting,
    MeetingOutcome,
    MeetingPlan,
)
from debrief.org import actions as org_actions
from debrief.org.models import Organisation, Role, Team, User
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import (
    Competitor,
    Contact,
    ContactRole,
    Customer,
    Deal,
    DealContact,
    DealEvent,
    DealEventKind,
    DealStatus,
    FollowUp,
    Product,
    Stage,
    StageKind,
)

SOURCE = "demo"
CUSTOMER_COLUMNS = [
    "id",
    "name",
    "segment",
    "size",
    "region",
    "website",
    "owner",
    "team",
    "external_source",
    "external_id",
    "created_at",
]
CONTACT_COLUMNS = ["id", "customer", "name", "title", "email", "phone", "created_at"]
DEAL_COLUMNS = [
    "id",
    "name",
    "customer",
    "owner",
    "team",
    "amount",
    "currency",
    "stage",
    "status",
    "expected_close_date",
    "closed_on",
    "source",
    "next_step",
    "next_step_date",
    "attributes",
    "external_source",
    "external_id",
    "created_at",
]
EVENT_COLUMNS = ["deal", "kind", "actor", "at", "from_value", "to_value", "data"]
LOSS_COLUMNS = [
    "id",
    "deal",
    "recorded_by",
    "lost_on",
    "outcome_type",
    "stage_at_loss",
    "amount_at_loss",
    "currency",
    "note",
    "debrief_consent",
    "created_at",
]
OWN_IT_COLUMNS = [
    "id",
    "loss",
    "rep",
    "could_have_done_differently",
    "will_do_next_time",
    "decisive_reason",
    "submitted_at",
    "created_at",
]
FOLLOW_UP_COLUMNS = [
    "id",
    "owner",
    "deal",
    "customer",
    "kind",
    "title",
    "detail",
    "due_on",
    "done_at",
    "created_by",
    "created_at",
]
DEBRIEF_COLUMNS = [
    "id",
    "loss",
    "kind",
    "leader",
    "customer_contact",
    "status",
    "proposed_for",
    "scheduled_for",
    "duration_minutes",
    "held_at",
    "contact_follow_up",
    "customer_decisive_reason",
    "notes",
    "version",
    "created_at",
]
ANSWER_COLUMNS = ["debrief", "number", "question", "answer", "answered_by", "created_at"]
LESSON_COLUMNS = [
    "id",
    "loss",
    "source",
    "debrief",
    "own_it",
    "team",
    "author",
    "statement",
    "do_differently",
    "tag_stage",
    "tag_competitor",
    "tag_segment",
    "tag_product",
    "tag_reason",
    "created_at",
]
# The manager's task `schedule_debrief` writes for a major loss, in its words.
POST_MORTEM_REQUEST = (
    "Contact the customer now: say we will not try to change their mind and ask for 30 "
    "minutes to learn why we lost."
)
HISTORY_DAYS = 730
BATCH = 5_000
STALL_SHARE: dict[str, float] = {DealStatus.WON: 0.5, DealStatus.LOST: 0.5}
STALL_MAX_DAYS = 400
UTC = dt.UTC
WEEK = dt.timedelta(days=7)


# Called after a load (and after --reset removed the old demo), in the same transaction:
# apps that keep derived data (rollups) and are not imported here register their rebuild.
after_load: list[Callable[[], Any]] = []


class DemoError(Exception):
    """The demo organisation cannot be loaded or removed; the message says why."""


@dataclass
class DemoSummary:
    seed: int
    users: int = 0
    teams: int = 0
    customers: int = 0
    contacts: int = 0
    deals: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    events: int = 0
    losses: int = 0
    own_it_written: int = 0
    lessons: int = 0
    debriefs: dict[str, int] = field(default_factory=dict)
    follow_through: FollowThroughSummary | None = None
    # Seconds per phase of the load: (wall clock, CPU of this process).
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def win_rate(self) -> float:
        closed = self.won + self.lost
        return self.won / closed if closed else 0.0


def default_customers(deals: int) -> int:
    """About 300 customers for the standard 2,000 deals, growing with bigger runs so that a
    customer keeps a believable number of deals."""
    return max(300, round(deals * 0.15))


def email_for(full_name: str) -> str:
    return f"{_slug(full_name, sep='.')}@{words.DOMAIN}"


def demo_users() -> QuerySet[User]:
    return User.objects.filter(email__iendswith="@" + words.DOMAIN)


def demo_logins() -> dict[str, str]:
    """One demo email per role (admin, manager, rep, analyst), for `debrief run` to print."""
    logins: dict[str, str] = {}
    emails = {email_for(name): role for name, role, _, _ in words.PEOPLE}
    present = set(demo_users().filter(is_active=True).values_list("email", flat=True))
    for email, role in emails.items():
        if email in present and role not in logins:
            logins[role] = email
    return {role: logins[role] for role in ("admin", "manager", "rep", "analyst") if role in logins}


def has_deals() -> bool:
    return Deal.objects.exists()


# --- loading -------------------------------------------------------------------------------


def load_demo(
    *,
    seed: int = 1,
    deals: int = 2_000,
    customers: int | None = None,
    today: dt.date | None = None,
    reset: bool = False,
) -> DemoSummary:
    """Load the demo organisation into a database that has no deals yet, or, with `reset`,
    in place of the demo organisation loaded before (in the same transaction: a failed load
    leaves the old one)."""
    if deals < 0 or (customers is not None and customers < 1):
        raise DemoError("--deals cannot be negative and --customers must be at least 1.")
    today = today or timezone.localdate()
    with transaction.atomic():
        if reset:
            reset_demo()
        if has_deals():
            raise DemoError("The database already has deals.")
        builder = _Builder(random.Random(seed), today, seed)
        clock = _Clock(builder.summary.timings)
        with clock("people"):
            builder.people()
            builder.catalogue()
        with clock("customers"):
            builder.customers(customers if customers is not None else default_customers(deals))
        with clock("deals"):
            builder.deals(deals)
        with clock("loss loop"):
            builder.losses()
        follow_through = FollowThrough(builder)
        with clock("meetings"):
            follow_through.people()
            follow_through.meetings()
        with clock("relationships"):
            follow_through.relationships()
        with clock("learning"):
            follow_through.learning()
        builder.summary.follow_through = follow_through.summary
        with clock("deal words"):
            rebuild_deal_words()
        with clock("statistics"):
            _analyze(
                Customer,
                Contact,
                Deal,
                DealContact,
                DealEvent,
                Deal.products.through,
                Deal.competitors.through,
                LossRecord,
                LossRecordReason,
                LossRecord.competitors.through,
                OwnItReview,
                FollowUp,
                Debrief,
                Debrief.participants.through,
                DebriefAnswer,
                Lesson,
                *FOLLOW_THROUGH_MODELS,
            )
        for hook in after_load:
            hook()
        return builder.summary


class _Clock:
    """Times the phases of a load, for `debrief demo -v 2` and the benchmarks."""

    def __init__(self, into: dict[str, tuple[float, float]]) -> None:
        self.into = into

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.into[name] = (time.perf_counter() - wall, time.process_time() - cpu)


def reset_demo() -> None:
    """Remove the demo organisation. Refuses when the database holds deals of its own: those
    would lose their customers, owners or teams."""
    with transaction.atomic():
        others = Deal.objects.exclude(external_source=SOURCE).count()
        if others:
            raise DemoError(
                f"{others} deals are not demo data; --reset only replaces the demo organisation."
            )
        try:
            # Learning hangs off the teams and users: the demo teams' retros and practices go
            # first (their matches and links to deals with them).
            BestPractice.objects.filter(team__name__in=words.TEAMS).delete()
            Retro.objects.filter(team__name__in=words.TEAMS).delete()
            _delete_loop_rows(Deal.objects.filter(external_source=SOURCE))
            Deal.objects.filter(external_source=SOURCE).delete()
            Customer.objects.filter(external_source=SOURCE).delete()
            Competitor.objects.filter(
                name__in=[c[0] for c in words.COMPETITORS], deals__isnull=True
            ).delete()
            Product.objects.filter(name__in=words.PRODUCTS, deals__isnull=True).delete()
            demo_users().delete()
            Team.objects.filter(name__in=words.TEAMS, deals__isnull=True).delete()
        except ProtectedError as exc:
            names = ", ".join(sorted({type(o).__name__ for o in exc.protected_objects}))
            raise DemoError(f"Other records still point at the demo data ({names}).") from exc


def _delete_loop_rows(deals: QuerySet[Deal]) -> None:
    """The demo deals' loss-loop and meeting rows, children first, with plain DELETEs. The
    ORM's delete would send a signal per row, and what listens (the insights rollups, the
    audit trail) refreshes a deal or writes an entry per signal: minutes for the default
    demo, hours for a large one. The rollups are rebuilt after the load instead
    (`after_load`)."""
    losses = LossRecord.objects.filter(deal__in=deals)
    meetings = Meeting.objects.filter(deal__in=deals)
    BestPractice.source_lessons.through.objects.filter(lesson__loss__in=losses).delete()
    BestPractice.source_debriefs.through.objects.filter(debrief__loss__in=losses).delete()
    BadMeetingCauseRow.objects.filter(bad_meeting__meeting__in=meetings).delete()
    BadMeetingConsequenceRow.objects.filter(bad_meeting__meeting__in=meetings).delete()
    Debrief.participants.through.objects.filter(debrief__loss__in=losses).delete()
    LossRecord.competitors.through.objects.filter(lossrecord__in=losses).delete()
    quiet: list[QuerySet[Any]] = [
        DebriefAnswer.objects.filter(debrief__loss__in=losses),
        LossRecordReason.objects.filter(loss__in=losses),
        BadMeeting.objects.filter(meeting__in=meetings),
        MeetingOutcome.objects.filter(meeting__in=meetings),
        MeetingPlan.objects.filter(meeting__in=meetings),
        Lesson.objects.filter(loss__in=losses),
        Debrief.objects.filter(loss__in=losses),
        OwnItReview.objects.filter(loss__in=losses),
        losses,
    ]
    for rows in quiet:
        rows._raw_delete(rows.db)


# --- the builder ---------------------------------------------------------------------------


@dataclass
class _CustomerPlan:
    pk: int
    short_name: str
    segment: str
    region: str
    size: int
    team: str
    owner: int
    name: str = ""
    contacts: list[int] = field(default_factory=list)
    created: dt.datetime | None = None


@dataclass
class _DealPlan:
    customer: _CustomerPlan
    created: dt.datetime
    source: str
    competitors: list[int]
    owner: int
    outcome: str = DealStatus.OPEN
    # What the loss loop needs of a closed deal, filled in when the deal is built.
    deal_id: int = 0
    name: str = ""
    amount: Decimal = Decimal(0)
    headline: str = ""
    closed_at: dt.datetime | None = None
    closed_on: dt.date | None = None
    stage_before_close: int = 0
    contact: int | None = None
    decision_maker: int | None = None
    # What meetings and matching need: the stage now, products and contacts, the next step.
    stage: int = 0
    products: list[int] = field(default_factory=list)
    contacts: list[int] = field(default_factory=list)
    next_step: str = ""


def _insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows of plain values with multi-row INSERT statements.

    `bulk_create` spends about 10 µs per value compiling its SQL, which dominates at a
    million values. Here each column is adapted the way its field stores it, and the
    columns left out get their field's default (`auto_now` ones the current time), as the ORM
    would give them: a field added to these models later needs no change here."""
    meta = model._meta
    given = [cast("Field[Any, Any]", meta.get_field(name)) for name in columns]
    now = timezone.now()
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    rest_values = [
        _adapter(f)(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default()
        )
        for f in rest
    ]
    # Only the columns that need it are adapted: most values (keys, strings) go as they are.
    adapters = [(i, a) for i, a in enumerate(map(_adapter, given)) if a is not _as_is]
    width = len(given)

    def values(row: Sequence[Any]) -> list[Any]:
        if len(row) != width:
            raise ValueError(f"{model.__name__} rows need {width} values: {row!r}")
        out = [*row, *rest_values]
        for i, adapt in adapters:
            out[i] = adapt(out[i])
        return out

    quote = connection.ops.quote_name
    fields = [*given, *rest]
    target = "{} ({})".format(
        quote(meta.db_table), ", ".join(quote(cast(str, f.column)) for f in fields)
    )
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk-load path: no statement to parse, however many rows.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(values(row))
        return
    head = f"INSERT INTO {target} VALUES "
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    # As many rows per statement as the backend takes parameters (SQLite has a limit).
    per_statement = max(1, min(1_000, connection.ops.bulk_batch_size(fields, rows)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                params += values(row)
            cursor.execute(head + ", ".join([placeholders] * len(chunk)), params)


def _adapter(f: Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of this field goes to the database. Keys, numbers and strings go as they
    are; dates, decimals and JSON need the backend's own adaptation."""
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
            return _utc_text
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "JSONField" and getattr(f, "encoder", None) is None:
        return _json_text
    if kind in ("DecimalField", "JSONField"):
        return partial(f.get_db_prep_save, connection=connection)
    return _as_is


def _utc_text(value: dt.datetime | None) -> str | None:
    """A datetime as SQLite stores it (naive, in UTC), as `adapt_datetimefield_value` does
    but several times faster for the UTC datetimes the demo is made of: with a million
    timestamps, Django's adapter alone took a tenth of the load."""
    if value is not None and value.tzinfo is UTC:
        return str(value.replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value(value)


def _json_text(value: Any) -> str | None:
    """JSON as text, which both backends take (COPY parses it into jsonb), without the
    field's per-value checks."""
    return None if value is None else json.dumps(value)


def _as_is(value: Any) -> Any:
    return value


def _next_id(model: type[Model]) -> int:
    """Demo rows get their ids up front, as `loaddata` does, so that customers, contacts and
    deals can be linked before they are written; `_reset_sequences` catches PostgreSQL up."""
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(*models: type[Model]) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def _analyze(*models: type[Model]) -> None:
    """Fresh planner statistics for the tables just filled. Without them PostgreSQL guesses a
    hundred rows where there are a hundred thousand, and a manager's deal list, measured at
    100,000 deals, took four times as long."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _slug(text: str, sep: str = "") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, ascii_text.lower().replace("&", "and")).strip(sep)


def _round_amount(value: float) -> Decimal:
    step = 100 if value < 20_000 else 500
    return Decimal(max(step, round(value / step) * step)).quantize(Decimal("0.01"))


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, seed: int) -> None:
        self.rng = rng
        self.today = today
        # History ends at the anchor day's midnight: nothing happens "today" or later.
        self.end = dt.datetime.combine(today, dt.time(), tzinfo=UTC)
        self.summary = DemoSummary(seed=seed)
        self.reps: dict[str, list[int]] = {}
        self.managers: dict[str, int] = {}
        self.names: dict[int, str] = {}
        self.skill: dict[int, float] = {}
        self.plans: list[_CustomerPlan] = []
        self.deal_plans: list[_DealPlan] = []
        self.contact_names: dict[int, str] = {}
        self.zones: dict[int, str] = {}
        stages = list(Stage.objects.filter(is_active=True).order_by("order", "pk"))
        self.open_stages = [s for s in stages if s.kind == StageKind.OPEN]
        won = [s for s in stages if s.kind == StageKind.WON]
        lost = [s for s in stages if s.kind == StageKind.LOST]
        if not self.open_stages or not won or not lost:
            raise DemoError("The pipeline needs an open, a won and a lost stage.")
        self.won_stage, self.lost_stage = won[0], lost[0]

    # People and settings go through the actions.
    def people(self) -> None:
        org_actions.update_organisation(None, name=words.ORGANISATION_NAME)
        teams = {name: org_actions.create_team(None, name=name) for name in words.TEAMS}
        users: list[User] = []
        for full_name, role, team, time_zone in words.PEOPLE:
            user = org_actions.create_user(
                None,
                email=email_for(full_name),
                full_name=full_name,
                role=role,
                teams=[teams[team]] if team else [],
                time_zone=time_zone,
            )
            users.append(user)
            self.names[user.pk] = full_name
            self.zones[user.pk] = time_zone
            if role == Role.REP:
                self.reps.setdefault(team, []).append(user.pk)
                self.skill[user.pk] = self.rng.uniform(0.75, 1.3)
            elif role == Role.MANAGER:
                self.managers[team] = user.pk
        # One hash for everyone: hashing is deliberately slow (~0.7 s) and the demo password
        # is public anyway. It is still checked against the validators as set_password would.
        for user in users:
            validate_password(words.PASSWORD, user)
        User.objects.filter(pk__in=[u.pk for u in users]).update(
            password=make_password(words.PASSWORD)
        )
        self.team_ids = {name: team.pk for name, team in teams.items()}
        self.summary.users, self.summary.teams = len(users), len(teams)

    def catalogue(self) -> None:
        self.products = {
            name: pipeline_actions.get_or_create_product(name).pk for name in words.PRODUCTS
        }
        self.competitors: list[tuple[int, tuple[str, ...], float]] = []
        for name, website, segments, strength in words.COMPETITORS:
            existing = Competitor.objects.filter(name__iexact=name).first()
            competitor = existing or pipeline_actions.create_competitor(None, name, website)
            self.competitors.append((competitor.pk, segments, strength))
        self.strength = {pk: strength for pk, _, strength in self.competitors}
        self.competitor_names = dict(
            Competitor.objects.filter(pk__in=self.strength).values_list("pk", "name")
        )

    # --- customers and contacts --------------------------------------------------------------

    def customers(self, count: int) -> None:
        rng = self.rng
        regions = {r: w for team in words.TEAMS.values() for r, w in team.items()}
        team_of = {r: t for t, team in words.TEAMS.items() for r in team}
        used: set[str] = set()
        customer_rows: list[tuple[Any, ...]] = []
        first_id = _next_id(Customer)
        for index in range(count):
            segment = _weighted(rng, words.SEGMENTS)
            region = _weighted(rng, regions)
            size = rng.choices(range(len(words.SIZES)), [s[1] for s in words.SIZES])[0]
            short = self._company_name(segment, used)
            name = short
            if segment not in words.NON_COMPANY_SEGMENTS and rng.random() < 0.6:
                name = f"{short} {rng.choice(words.LEGAL_SUFFIXES[region])}"
            team = team_of[region]
            owner = rng.choice(self.reps[team])
            day = self.today - dt.timedelta(days=HISTORY_DAYS + rng.randint(1, 365))
            created = self._office_hours(day, team)
            plan = _CustomerPlan(first_id + index, short, segment, region, size, team, owner, name)
            plan.created = created
            self.plans.append(plan)
            customer_rows.append(
                (
                    plan.pk,
                    name,
                    segment,
                    words.SIZES[size][0],
                    region,
                    self._website(short, segment, region),
                    owner,
                    self.team_ids[team],
                    SOURCE,
                    f"C{index + 1:06d}",
                    created,
                )
            )
        _insert(Customer, CUSTOMER_COLUMNS, customer_rows)

        contact_rows: list[tuple[Any, ...]] = []
        contact_id = _next_id(Contact)
        for plan, row in zip(self.plans, customer_rows, strict=True):
            domain = _slug(plan.short_name) + ".example"
            country = rng.choice(words.COUNTRY_CODES.get(plan.region, [""]))
            titles = words.TITLES_COMMON + words.TITLES_BY_SEGMENT[plan.segment]
            for title in rng.sample(titles, rng.randint(2, 4)):
                first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
                # .example: a demo can never email a stranger.
                email = f"{_slug(first)}.{_slug(last)}@{domain}"
                phone = self._phone(plan.region, country)
                contact_rows.append(
                    (contact_id, plan.pk, f"{first} {last}", title, email, phone, row[-1])
                )
                self.contact_names[contact_id] = f"{first} {last}"
                plan.contacts.append(contact_id)
                contact_id += 1
        _insert(Contact, CONTACT_COLUMNS, contact_rows)
        self.summary.customers, self.summary.contacts = count, len(contact_rows)

    def _company_name(self, segment: str, used: set[str]) -> str:
        rng = self.rng
        suffixes = words.SEGMENT_SUFFIXES[segment]
        name = ""
        for attempt in range(50):
            pattern = rng.random()
            if segment == "Public sector" and pattern < 0.3:
                name = f"City of {rng.choice(words.NAME_STEMS)}"
            elif segment == "Professional services" and pattern < 0.35:
                a, b = rng.sample(words.SURNAMES, 2)
                name = f"{a} & {b}"
            elif pattern < 0.2:
                name = f"{rng.choice(words.SURNAMES)} {rng.choice(suffixes)}"
            else:
                name = f"{rng.choice(words.NAME_STEMS)} {rng.choice(suffixes)}"
            if attempt > 20:
                # The word lists run thin at tens of thousands of customers.
                name = f"{rng.choice(words.NAME_STEMS)} {rng.choice(words.NAME_STEMS)} {rng.choice(suffixes)}"
            if attempt > 40:
                name = f"{name} {attempt}"
            if name not in used:
                break
        used.add(name)
        return name

    def _website(self, short: str, segment: str, region: str) -> str:
        rng = self.rng
        slug = _slug(short)
        if region == "North America" and segment == "Education":
            tld = ".edu"
        elif region == "North America" and segment == "Public sector":
            tld = ".gov"
        elif region == "UK & Ireland" and segment == "Education":
            tld = ".ac.uk"
        elif region == "UK & Ireland" and segment == "Public sector":
            tld = ".gov.uk"
        else:
            tld = rng.choice(words.TLDS[region])
        www = "www." if rng.random() < 0.7 else ""
        return f"https://{www}{slug}{tld}"

    def _phone(self, region: str, country: str) -> str:
        rng = self.rng
        digits = {
            "area": str(rng.randint(201, 989)),
            "nn": f"{rng.randint(0, 99):02d}",
            "nnn": f"{rng.randint(0, 999):03d}",
            "nnnn": f"{rng.randint(0, 9999):04d}",
        }
        template = words.PHONE_FORMATS.get(region, words.PHONE_DEFAULT)
        return template.format(cc=country, **digits)

    def _office_hours(self, day: dt.date, team: str) -> dt.datetime:
        """A moment of the team's working day, so the history reads like real work."""
        hours = words.WORKDAY_START_UTC[team] + self.rng.uniform(0, 9)
        return dt.datetime.combine(day, dt.time(), tzinfo=UTC) + dt.timedelta(hours=hours)

    # --- deals ---------------------------------------------------------------------------------

    def deals(self, count: int) -> None:
        plans = self._plan_deals(count)
        self.deal_plans = plans
        first_id = _next_id(Deal)
        for start in range(0, count, BATCH):
            self._write_deals(plans[start : start + BATCH], start, first_id + start)
        _reset_sequences(Customer, Contact, Deal)

    def _plan_deals(self, count: int) -> list[_DealPlan]:
        """The cheap part of every deal (customer, date, source, competitors), then the
        outcomes: an exact number closed, and an exact share of those won."""
        rng = self.rng
        size_weight = [1.0, 1.2, 1.5, 2.2, 3.0]
        customers = rng.choices(self.plans, [size_weight[p.size] for p in self.plans], k=count)
        plans: list[_DealPlan] = []
        for customer in customers:
            day = self.today - dt.timedelta(days=rng.randint(1, HISTORY_DAYS))
            created = self._office_hours(day, customer.team)
            source = _weighted(rng, words.SOURCES)
            reps = self.reps[customer.team]
            owner = customer.owner if rng.random() < 0.7 else rng.choice(reps)
            plans.append(
                _DealPlan(customer, created, source, self._pick_competitors(customer), owner)
            )
        # Older deals are mostly closed, young ones mostly open, with stragglers both ways.
        closed_count = round(count * rng.uniform(0.60, 0.65))
        ages = [
            ((self.end - p.created).total_seconds() / 86_400 + rng.gauss(0, 120), i)
            for i, p in enumerate(plans)
        ]
        closed = [i for _, i in sorted(ages, reverse=True)[:closed_count]]
        # Weighted sampling without replacement (Efraimidis–Spirakis): referrals, skilled reps
        # and weak competitors win more, yet exactly `won_count` deals are won.
        won_count = round(closed_count * rng.uniform(0.22, 0.28))
        keys = []
        for i in closed:
            plan = plans[i]
            weight = words.SOURCE_WIN_WEIGHT[plan.source] * self.skill[plan.owner]
            weight /= max((self.strength[c] for c in plan.competitors), default=0.9)
            weight *= 0.8 if plan.customer.size == len(words.SIZES) - 1 else 1.0
            keys.append((rng.random() ** (1 / weight), i))
        won = {i for _, i in sorted(keys, reverse=True)[:won_count]}
        for i in closed:
            plans[i].outcome = DealStatus.WON if i in won else DealStatus.LOST
        return plans

    def _pick_competitors(self, customer: _CustomerPlan) -> list[int]:
        rng = self.rng
        if rng.random() > 0.78:
            return []
        weights = [3.0 if customer.segment in segs else 1.0 for _, segs, _ in self.competitors]
        first = rng.choices(self.competitors, weights)[0][0]
        if rng.random() < 0.2:
            second = rng.choices(self.competitors, weights)[0][0]
            if second != first:
                return [first, second]
        return [first]

    def _write_deals(self, plans: Sequence[_DealPlan], offset: int, first_id: int) -> None:
        deal_rows: list[tuple[Any, ...]] = []
        product_rows: list[tuple[int, int]] = []
        competitor_rows: list[tuple[int, int]] = []
        contact_rows: list[tuple[Any, ...]] = []
        event_rows: list[tuple[Any, ...]] = []
        for index, plan in enumerate(plans):
            deal_id = first_id + index
            deal, products, contacts, events = self._deal(plan, deal_id, offset + index + 1)
            deal_rows.append(deal)
            product_rows += [(deal_id, pk) for pk in products]
            competitor_rows += [(deal_id, pk) for pk in plan.competitors]
            contact_rows += [(deal_id, pk, role, plan.created) for pk, role in contacts]
            event_rows += events
            status = deal[DEAL_COLUMNS.index("status")]
            self.summary.deals += 1
            if status == DealStatus.OPEN:
                self.summary.open += 1
            elif status == DealStatus.WON:
                self.summary.won += 1
            else:
                self.summary.lost += 1
        _insert(Deal, DEAL_COLUMNS, deal_rows)
        _insert(Deal.products.through, ["deal", "product"], product_rows)
        _insert(Deal.competitors.through, ["deal", "competitor"], competitor_rows)
        _insert(DealContact, ["deal", "contact", "role", "created_at"], contact_rows)
        _insert(DealEvent, EVENT_COLUMNS, event_rows)
        self.summary.events += len(event_rows)

    def _deal(
        self, plan: _DealPlan, deal_id: int, number: int
    ) -> tuple[tuple[Any, ...], list[int], list[tuple[int, str]], list[tuple[Any, ...]]]:
        """One deal's row, its products, its contacts with their roles, and its events."""
        rng = self.rng
        customer = plan.customer
        _, _, median, slowness = words.SIZES[customer.size]
        products, headline = self._pick_products(customer.size)
        kind = _weighted(rng, words.DEAL_KINDS)
        name = f"{customer.short_name} – {headline}{' ' + kind if kind else ''}"
        amount = _round_amount(
            median
            * words.SEGMENT_VALUE[customer.segment]
            * (0.5 if kind == "pilot" else 1.0)
            * math.exp(rng.gauss(0, 0.55))
        )

        # The walk through the stages: where it starts, how far it goes, how it ends.
        m = len(self.open_stages)
        start = 1 if m > 1 and plan.source in ("Inbound", "Referral") and rng.random() < 0.4 else 0
        if plan.outcome == DealStatus.WON:
            last = m - 1
        elif plan.outcome == DealStatus.LOST:
            loss_weights = [0.7 + 0.5 * math.sin(math.pi * (i + 0.5) / m) for i in range(m)]
            last = rng.choices(range(m), loss_weights)[0]
        else:
            open_weights = [1.0 / (1 + 0.35 * i) for i in range(m)]
            last = rng.choices(range(m), open_weights)[0]
        start = min(start, last)
        path: list[Stage] = self.open_stages[start : last + 1]
        if plan.outcome == DealStatus.WON:
            path = [*path, self.won_stage]
        elif plan.outcome == DealStatus.LOST:
            path = [*path, self.lost_stage]
        dwell = [
            (7 + 9 * (start + i) / max(m - 1, 1)) * slowness * math.exp(rng.gauss(0, 0.5))
            for i in range(len(path) - 1)
        ]
        # The last day with history is yesterday; an open deal has sat a while in its stage.
        budget = (self.today - plan.created.date()).days - 1
        if plan.outcome == DealStatus.OPEN:
            budget = int(budget * 0.9)
        total = sum(dwell)
        if total > budget:
            dwell = [d * budget / total for d in dwell]
        elif plan.outcome != DealStatus.OPEN and rng.random() < STALL_SHARE[plan.outcome]:
            # Deals stall before they close: the buyer goes quiet and the deal is closed out
            # months later, or procurement drags. Without it closings dry up in the last
            # months, and the loss loop would have no recent losses to debrief.
            dwell[-1] += min(budget - total, STALL_MAX_DAYS) * rng.random()
        moments = [plan.created]
        elapsed = 0.0
        for days in dwell:
            elapsed += days
            latest = moments[-1]
            day = plan.created.date() + dt.timedelta(days=int(elapsed))
            if day > latest.date():
                at = max(self._office_hours(day, customer.team), latest)
            else:
                at = latest + dt.timedelta(hours=rng.uniform(0.1, 2))
            moments.append(min(at, self.end - dt.timedelta(seconds=1)))

        # Occasional owner and amount changes, somewhere inside the deal's life.
        span_end = moments[-1] if plan.outcome != DealStatus.OPEN else self.end
        span = (span_end - plan.created).total_seconds()
        reps = self.reps[customer.team]
        handover: tuple[dt.datetime, int] | None = None
        if len(reps) > 1 and span > 3_600 and rng.random() < 0.05:
            previous_owner = rng.choice([r for r in reps if r != plan.owner])
            handed_at = plan.created + dt.timedelta(seconds=span * rng.uniform(0.1, 0.9))
            handover = (handed_at, previous_owner)
        reprice: tuple[dt.datetime, Decimal] | None = None
        if span > 3_600 and rng.random() < (0.2 if last >= min(3, m - 1) else 0.05):
            at = plan.created + dt.timedelta(seconds=span * rng.uniform(0.4, 0.95))
            reprice = (at, _round_amount(float(amount) / rng.uniform(0.8, 1.2)))

        def owner_at(at: dt.datetime) -> int:
            return handover[1] if handover and at < handover[0] else plan.owner

        events: list[tuple[dt.datetime, int, dict[str, Any]]] = [
            (
                plan.created,
                0,
                {
                    "kind": DealEventKind.CREATED,
                    "to_value": path[0].name,
                    "actor_id": owner_at(plan.created),
                },
            )
        ]
        for step, (before, after) in enumerate(itertools.pairwise(path), start=1):
            at = moments[step]
            move = {"from_value": before.name, "to_value": after.name, "actor_id": owner_at(at)}
            events.append((at, 0, {"kind": DealEventKind.STAGE_CHANGED, **move}))
            if after.kind != StageKind.OPEN:
                events.append((at, 1, {"kind": after.kind, **move}))
        if handover:
            handed_at, previous_owner = handover
            events.append(
                (
                    handed_at,
                    0,
                    {
                        "kind": DealEventKind.OWNER_CHANGED,
                        "actor_id": self.managers[customer.team],
                        "from_value": self.names[previous_owner],
                        "to_value": self.names[plan.owner],
                        "data": {"from_id": previous_owner, "to_id": plan.owner},
                    },
                )
            )
        if reprice:
            at, original = reprice
            events.append(
                (
                    at,
                    0,
                    {
                        "kind": DealEventKind.AMOUNT_CHANGED,
                        "actor_id": owner_at(at),
                        "from_value": f"{original:.2f}",
                        "to_value": f"{amount:.2f}",
                    },
                )
            )
        events.sort(key=lambda e: (e[0], e[1]))

        stage = path[-1]
        status = {
            StageKind.OPEN: DealStatus.OPEN,
            StageKind.WON: DealStatus.WON,
            StageKind.LOST: DealStatus.LOST,
        }[StageKind(stage.kind)]
        closed_on = timezone.localdate(moments[-1]) if status != DealStatus.OPEN else None
        planned_close = plan.created.date() + dt.timedelta(days=round(sum(dwell) * 1.3) + 20)
        next_step, next_step_date = "", None
        if closed_on is not None:
            expected_close = closed_on + dt.timedelta(days=rng.randint(-15, 20))
        else:
            expected_close = planned_close
            if expected_close < self.today and rng.random() < 0.7:
                expected_close = self.today + dt.timedelta(days=rng.randint(7, 75))
            steps = words.NEXT_STEPS[min(last, len(words.NEXT_STEPS) - 1)]
            next_step = rng.choice(steps)
            next_step_date = self.today + dt.timedelta(days=rng.randint(-10, 21))
        deal: tuple[Any, ...] = (
            deal_id,
            name[:200],
            customer.pk,
            plan.owner,
            self.team_ids[customer.team],
            amount,
            "USD",
            stage.pk,
            status,
            expected_close,
            closed_on,
            plan.source,
            next_step,
            next_step_date,
            {},
            SOURCE,
            f"D{number:07d}",
            plan.created,
        )
        contacts = self._pick_contacts(customer)
        plan.deal_id, plan.name, plan.amount, plan.headline = deal_id, name[:200], amount, headline
        plan.stage, plan.products, plan.next_step = stage.pk, products, next_step
        plan.contacts = [pk for pk, _ in contacts]
        if closed_on is not None:
            plan.closed_at, plan.closed_on = moments[-1], closed_on
            plan.stage_before_close = path[-2].pk
        if contacts:
            plan.contact = contacts[0][0]
            if contacts[0][1] == ContactRole.DECISION_MAKER:
                plan.decision_maker = contacts[0][0]
        rows = [
            (
                deal_id,
                event["kind"],
                event["actor_id"],
                at,
                event.get("from_value", ""),
                event.get("to_value", ""),
                event.get("data", {}),
            )
            for at, _, event in events
        ]
        return deal, products, contacts, rows

    def _pick_products(self, size: int) -> tuple[list[int], str]:
        rng = self.rng
        tier_weights = [
            [0.8, 0.2, 0.0],
            [0.45, 0.55, 0.0],
            [0.05, 0.75, 0.2],
            [0.0, 0.4, 0.6],
            [0.0, 0.1, 0.9],
        ][size]
        if rng.random() < 0.15:
            # An add-on sold on its own to an existing customer.
            add_on = rng.choice(words.ADD_ONS)
            return [self.products[add_on]], add_on
        tier = rng.choices(words.TIERS, tier_weights)[0]
        chosen = [tier, *rng.sample(words.ADD_ONS, rng.choice([0, 0, 1, 1, 2]))]
        if rng.random() < 0.4:
            chosen.append(rng.choice(words.SERVICES))
        return [self.products[name] for name in chosen], tier

    def _pick_contacts(self, customer: _CustomerPlan) -> list[tuple[int, str]]:
        rng = self.rng
        people = rng.sample(customer.contacts, min(len(customer.contacts), rng.randint(1, 3)))
        roles = [
            rng.choice([ContactRole.DECISION_MAKER, ContactRole.CHAMPION]),
            ContactRole.EVALUATOR,
            rng.choice([ContactRole.INFLUENCER, ContactRole.OTHER]),
        ]
        return list(zip(people, roles, strict=False))

    # --- the loss loop -------------------------------------------------------------------------

    def losses(self) -> None:
        """For every lost deal what the loss loop's actions would have left: the loss record
        with its reasons and competitors, the rep's own-it review, the customer debrief
        (with the manager's follow-up for a major loss, the answers once held), the lessons,
        and their event rows. Written like the deals, in batches of plain INSERTs."""
        org = Organisation.current()
        self._ensure_losing_streak(org.losing_streak_length)
        lost = [p for p in self.deal_plans if p.outcome == DealStatus.LOST]
        if not lost:
            return
        ctx = _LossContext.load(self, org, lost)
        ids: dict[type[Model], int] = {
            model: _next_id(model) for model in (LossRecord, OwnItReview, Debrief, FollowUp, Lesson)
        }
        for start in range(0, len(lost), BATCH):
            rows = _LossRows()
            for plan in lost[start : start + BATCH]:
                self._loss(plan, ctx, ids, rows)
            rows.write()
            self.summary.events += len(rows.events)
        _reset_sequences(LossRecord, OwnItReview, Debrief, FollowUp, Lesson)

    def _ensure_losing_streak(self, length: int) -> None:
        """At least one rep is on a run of `length` losses, so that a manager's home shows
        the coaching moment the product is about. Chance nearly always provides one; when it
        has not, the won deal that ends the longest run swaps outcomes with an old loss of
        another rep (both went through the last open stage), so the win rate stays exact."""
        by_rep: dict[int, list[_DealPlan]] = {}
        for plan in self.deal_plans:
            if plan.closed_on is not None:
                by_rep.setdefault(plan.owner, []).append(plan)
        if not by_rep:
            return
        for closed in by_rep.values():
            closed.sort(key=lambda p: (p.closed_on, p.deal_id), reverse=True)

        def run(closed: list[_DealPlan]) -> int:
            return next(
                (i for i, p in enumerate(closed) if p.outcome != DealStatus.LOST), len(closed)
            )

        rep = max(sorted(by_rep), key=lambda pk: run(by_rep[pk]))
        mine = by_rep[rep]
        if run(mine) >= length or len(mine) < length:
            return
        last_open = self.open_stages[-1].pk
        recent = {p.deal_id for closed in by_rep.values() for p in closed[: length + 10]}
        partners = sorted(
            (
                p
                for pk, closed in by_rep.items()
                if pk != rep
                for p in closed
                if p.outcome == DealStatus.LOST
                and p.stage_before_close == last_open
                and p.deal_id not in recent
            ),
            key=lambda p: (p.closed_on, p.deal_id),
        )
        for plan in mine[:length]:
            if plan.outcome == DealStatus.WON:
                if not partners:
                    return
                self._swap_outcome(plan, DealStatus.LOST)
                self._swap_outcome(partners.pop(0), DealStatus.WON)

    def _swap_outcome(self, plan: _DealPlan, outcome: str) -> None:
        old, new = (
            (self.won_stage, self.lost_stage)
            if outcome == DealStatus.LOST
            else (self.lost_stage, self.won_stage)
        )
        Deal.objects.filter(pk=plan.deal_id).update(stage=new, status=outcome)
        events = DealEvent.objects.filter(deal_id=plan.deal_id)
        events.filter(to_value=old.name).update(to_value=new.name)
        events.filter(kind=plan.outcome).update(kind=outcome)
        plan.outcome = outcome

    def _loss(
        self,
        plan: _DealPlan,
        ctx: _LossContext,
        ids: dict[type[Model], int],
        rows: _LossRows,
    ) -> None:
        rng = self.rng
        assert plan.closed_at is not None and plan.closed_on is not None
        closed_at, lost_on = plan.closed_at, plan.closed_on
        rep = plan.owner
        loss_id = ids[LossRecord]
        ids[LossRecord] += 1
        deal_competitors = plan.competitors
        outcome = ctx.outcome_for(rng, bool(deal_competitors))
        competitors = deal_competitors if outcome == ctx.competitor_outcome else []
        reasons = ctx.reasons_for(rng, outcome, plan.deal_id in ctx.other)
        primary = reasons[0]
        consent = _weighted(rng, words.CONSENT)
        overdue = plan.deal_id == ctx.overdue
        if overdue and consent == "no":
            consent = "not_asked"
        fill = {
            "competitor": self.competitor_names[competitors[0]] if competitors else "",
            "contact": self.contact_names.get(plan.contact or 0, "the customer").split()[0],
            "product": plan.headline,
            "months": str(rng.choice([6, 9, 12, 18])),
        }
        note = ""
        if rng.random() >= words.NOTE_EMPTY:
            note = rng.choice(words.LOSS_NOTES.get(ctx.outcome_names[outcome], [""]))
        rows.losses.append(
            (
                loss_id,
                plan.deal_id,
                rep,
                lost_on,
                outcome,
                plan.stage_before_close,
                plan.amount,
                "USD",
                note.format(**fill),
                consent,
                closed_at,
            )
        )
        self.summary.losses += 1
        rows.reasons += [(loss_id, r, i == 0) for i, r in enumerate(reasons)]
        rows.loss_competitors += [(loss_id, c) for c in competitors]
        rows.event(
            plan.deal_id,
            "loss_recorded",
            rep,
            closed_at,
            loss_id=loss_id,
            summary=f"Loss recorded: {ctx.outcome_names[outcome]} — {ctx.reason_names[primary]}",
        )

        # The own-it review: asked of every loss, written by most reps within a few days.
        review_id = ids[OwnItReview]
        ids[OwnItReview] += 1
        # Most the same day, the rest after the next day's reminder.
        delay = rng.uniform(1, 20) if rng.random() < 0.65 else rng.uniform(24, 144)
        written_at = closed_at + dt.timedelta(hours=delay)
        # The last week's reps are behind on theirs: their reminders are still pending.
        chance = words.OWN_IT_WRITTEN if self.end - written_at > WEEK else words.OWN_IT_LATEST
        written = rng.random() < chance and written_at < self.end
        submitted_at = written_at if written else None
        could = will = ""
        decisive: int | None = None
        if submitted_at is not None:
            could, will, decisive = self._own_it_text(ctx, primary, fill)
            self.summary.own_it_written += 1
            rows.event(
                plan.deal_id,
                "own_it_submitted",
                rep,
                submitted_at,
                loss_id=loss_id,
                summary="Own-it review written",
            )
        rows.own_its.append(
            (review_id, loss_id, rep, could, will, decisive, submitted_at, closed_at)
        )
        # The reason rep-versus-customer compares with the customer's: the review's, else
        # the loss record's main one.
        rep_reason = decisive or primary

        if consent != "no":
            self._debrief(plan, ctx, ids, rows, loss_id, reasons, rep_reason, fill)
        if submitted_at is not None and rng.random() < words.OWN_IT_LESSON:
            at = _before(self.end, submitted_at + dt.timedelta(hours=rng.uniform(0.1, 2)))
            self._lesson(
                plan, ctx, ids, rows, loss_id, "own_it", review_id, rep, primary, at, set()
            )

    def _own_it_text(
        self, ctx: _LossContext, primary: int, fill: dict[str, str]
    ) -> tuple[str, str, int | None]:
        """What the rep wrote, and the reason they name as decisive: price far more often
        than the customer will."""
        rng = self.rng
        if rng.random() < words.OWN_IT_BLAMING:
            could, will, reason = rng.choice(words.OWN_IT_BLAME)
            return could, will, ctx.reasons.get(reason, primary)
        name = ctx.reason_names[primary]
        coulds = words.OWN_IT_COULD.get(name, [])
        wills = words.OWN_IT_WILL.get(name, [])
        could = rng.choice(coulds or words.OWN_IT_COULD_ANY)
        if rng.random() < 0.45:
            could = f"{could} {rng.choice(words.OWN_IT_COULD_ANY)}"
        will = rng.choice(wills or words.OWN_IT_WILL_ANY)
        if rng.random() < 0.35:
            will = f"{will} {rng.choice(words.OWN_IT_WILL_ANY)}"
        decisive: int | None = primary
        if ctx.price is not None and rng.random() < words.REP_BLAMES_PRICE:
            decisive = ctx.price
        elif rng.random() < 0.05:
            decisive = None
        return could.format(**fill), will.format(**fill), decisive

    def _debrief(
        self,
        plan: _DealPlan,
        ctx: _LossContext,
        ids: dict[type[Model], int],
        rows: _LossRows,
        loss_id: int,
        reasons: list[int],
        rep_reason: int,
        fill: dict[str, str],
    ) -> None:
        """The debrief `schedule_debrief` proposes, and how far it got: held (answers,
        customer's reason, lessons), declined, cancelled, or still to come."""
        rng = self.rng
        assert plan.closed_at is not None and plan.closed_on is not None
        closed_at, lost_on = plan.closed_at, plan.closed_on
        rep, team = plan.owner, plan.customer.team
        major = plan.amount >= ctx.threshold
        leader = self.managers[team] if major else rep
        debrief_id = ids[Debrief]
        ids[Debrief] += 1
        if major:
            days = ctx.contact_days
            contact_due = add_business_days(lost_on, days) if days else lost_on
            call_day = add_business_days(lost_on, max(1, days))
        else:
            contact_due = lost_on
            call_day = next_business_day_on_or_after(lost_on + dt.timedelta(days=ctx.cool_off_days))
        proposed_for = self._at(call_day, leader, 10)
        kind = DebriefKind.POST_MORTEM if major else DebriefKind.ORDINARY
        kind_label = str(kind.label)
        age = (self.today - lost_on).days

        # How far it got: a call still to come is proposed or scheduled; one whose day has
        # passed was mostly held, sometimes declined or cancelled; a few recent ones wait.
        status: str
        if plan.deal_id == ctx.overdue:
            status = DebriefStatus.PROPOSED
        elif proposed_for >= self.end:
            status = _weighted(rng, {"proposed": 0.55, "scheduled": 0.37, "declined": 0.08})
        elif age <= 45:
            status = _weighted(
                rng,
                {
                    "held": 0.52,
                    "scheduled": 0.16,
                    "proposed": 0.0 if major and age > 21 else 0.14,
                    "declined": 0.14,
                    "cancelled": 0.04,
                },
            )
        else:
            status = _weighted(rng, {"held": 0.70, "declined": 0.21, "cancelled": 0.09})
        scheduled_for: dt.datetime | None = None
        held_at: dt.datetime | None = None
        if status == DebriefStatus.HELD:
            if rng.random() < 0.7:
                moved = add_business_days(call_day, rng.choice([0, 0, 1, 2, 3, 5]))
                scheduled_for = self._at(moved, leader, rng.choice(words.DEBRIEF_HOURS))
            held_at = scheduled_for or proposed_for
            if held_at >= self.end:
                status, held_at = DebriefStatus.SCHEDULED, None
        if status == DebriefStatus.SCHEDULED and scheduled_for is None:
            base = max(call_day, self.today)
            moved = add_business_days(base, rng.choice([0, 1, 2, 3, 4, 6]))
            if moved <= lost_on:
                moved = add_business_days(lost_on, 1)
            scheduled_for = self._at(moved, leader, rng.choice(words.DEBRIEF_HOURS))
        version = 1 + (scheduled_for is not None)
        notes = ""
        customer_reason: int | None = None
        duration = 45 if major else 30

        rows.event(
            plan.deal_id,
            "debrief_proposed",
            rep,
            closed_at,
            debrief_id=debrief_id,
            summary=f"{kind_label} proposed for {call_day:%d %b %Y}, led by {self.names[leader]}",
        )
        follow_up: int | None = None
        if major:
            follow_up = ids[FollowUp]
            ids[FollowUp] += 1
            done_at = None
            if status != DebriefStatus.PROPOSED:
                done_at = _before(self.end, closed_at + dt.timedelta(hours=rng.uniform(1, 20)))
            rows.follow_ups.append(
                (
                    follow_up,
                    leader,
                    plan.deal_id,
                    plan.customer.pk,
                    "post_mortem_request",
                    f"Ask {plan.customer.name} for a post-mortem call about {plan.name}"[:200],
                    POST_MORTEM_REQUEST,
                    contact_due,
                    done_at,
                    rep,
                    closed_at,
                )
            )
        if status == DebriefStatus.HELD:
            assert held_at is not None
            version += 2  # the answers, then "held"
            customer_reason = self._customer_reason(ctx, reasons, rep_reason)
            self._answers(rows, debrief_id, leader, held_at, fill)
            notes = rng.choice(words.HELD_NOTES).format(**fill)
            rows.event(
                plan.deal_id,
                "debrief_held",
                leader,
                held_at,
                debrief_id=debrief_id,
                summary=f"{kind_label} held",
            )
            if rng.random() < words.DEBRIEF_LESSONS:
                taken: set[str] = set()
                for _ in range(rng.choice([1, 1, 2])):
                    author = leader if not major or rng.random() < 0.6 else rep
                    at = _before(self.end, held_at + dt.timedelta(hours=rng.uniform(0.5, 30)))
                    self._lesson(
                        plan,
                        ctx,
                        ids,
                        rows,
                        loss_id,
                        "debrief",
                        debrief_id,
                        author,
                        customer_reason or reasons[0],
                        at,
                        taken,
                    )
        elif status in (DebriefStatus.DECLINED, DebriefStatus.CANCELLED):
            version += 1
            until = min(scheduled_for or proposed_for, self.end)
            at = closed_at + (until - closed_at) * rng.uniform(0.3, 0.95)
            choices = (
                words.DECLINED_NOTES if status == DebriefStatus.DECLINED else words.CANCELLED_NOTES
            )
            notes = rng.choice(choices).format(**fill)
            label = DebriefStatus(status).label.lower()
            rows.event(
                plan.deal_id,
                f"debrief_{status}",
                leader,
                at,
                debrief_id=debrief_id,
                summary=f"Debrief {label}",
            )
        rows.debriefs.append(
            (
                debrief_id,
                loss_id,
                kind,
                leader,
                plan.decision_maker,
                status,
                proposed_for,
                scheduled_for,
                duration,
                held_at,
                follow_up,
                customer_reason,
                notes,
                version,
                closed_at,
            )
        )
        rows.participants += [(debrief_id, pk) for pk in dict.fromkeys([leader, rep])]
        self.summary.debriefs[status] = self.summary.debriefs.get(status, 0) + 1

    def _customer_reason(self, ctx: _LossContext, reasons: list[int], rep_reason: int) -> int:
        """The customer's decisive reason: often the rep's, less often when the rep said
        price; when they differ, price is what the customer names least."""
        rng = self.rng
        is_price = rep_reason == ctx.price
        if rng.random() >= words.CUSTOMER_DIFFERS["Price" if is_price else "other"]:
            return rep_reason
        others = [r for r in reasons if r != rep_reason and r != ctx.other_reason]
        if others and rng.random() < 0.6:
            return others[0]
        weights = {
            r: (0.3 if r == ctx.price else 1.0) for r in ctx.customer_reasons if r != rep_reason
        }
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def _answers(
        self,
        rows: _LossRows,
        debrief_id: int,
        leader: int,
        held_at: dt.datetime,
        fill: dict[str, str],
    ) -> None:
        rng = self.rng
        side = "competitor" if fill["competitor"] else "none"
        for number, question in enumerate(DEBRIEF_QUESTIONS, start=1):
            pools = words.DEBRIEF_ANSWERS[number]
            answer = rng.choice(pools.get(side) or pools["any"]).format(**fill)
            rows.answers.append((debrief_id, number, question, answer, leader, held_at))
        if rng.random() < words.EXTRA_QUESTION_SHARE:
            question, answers = rng.choice(words.EXTRA_QUESTIONS)
            rows.answers.append((debrief_id, 0, question, rng.choice(answers), leader, held_at))

    def _lesson(
        self,
        plan: _DealPlan,
        ctx: _LossContext,
        ids: dict[type[Model], int],
        rows: _LossRows,
        loss_id: int,
        source: str,
        source_id: int,
        author: int,
        reason: int,
        at: dt.datetime,
        taken: set[str],
    ) -> None:
        """One lesson, in words that fit its reason, unlike those already `taken` from the
        same source."""
        rng = self.rng
        lesson_id = ids[Lesson]
        ids[Lesson] += 1
        self.summary.lessons += 1
        fill = {
            "competitor": self.competitor_names[plan.competitors[0]]
            if plan.competitors
            else "the competitor",
            "contact": self.contact_names.get(plan.contact or 0, "the customer").split()[0],
        }
        choices = words.LESSONS.get(ctx.reason_names[reason], [])
        if not choices or rng.random() < 0.2:
            choices = words.LESSONS_ANY
        choices = [c for c in choices if c[0] not in taken] or words.LESSONS_ANY
        statement, do_differently = rng.choice(choices)
        taken.add(statement)
        statement = statement.format(**fill)[:300]
        competitor = plan.competitors[0] if plan.competitors else None
        rows.lessons.append(
            (
                lesson_id,
                loss_id,
                source,
                source_id if source == "debrief" else None,
                source_id if source == "own_it" else None,
                self.team_ids[plan.customer.team],
                author,
                statement,
                do_differently.format(**fill),
                plan.stage_before_close,
                competitor,
                plan.customer.segment,
                plan.headline if rng.random() < 0.5 else "",
                reason,
                at,
            )
        )
        rows.event(
            plan.deal_id,
            "lesson_recorded",
            author,
            at,
            lesson_id=lesson_id,
            summary=f"Lesson: {statement}",
        )

    def _at(self, day: dt.date, user: int, hour: int) -> dt.datetime:
        """`hour` o'clock on `day` in the user's time zone, as `schedule_debrief` proposes,
        in UTC like every other moment of the demo (the fast path of `_utc_text`)."""
        local = dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(self.zones[user]))
        return local.astimezone(UTC)


def _before(end: dt.datetime, at: dt.datetime) -> dt.datetime:
    """`at`, or just before the end of the history when it would fall after."""
    return min(at, end - dt.timedelta(seconds=1))


@dataclass
class _LossContext:
    """The reason list, outcome types and settings a demo loss is drawn from, and the
    losses singled out in advance: the recent ones naming "Other", and the post-mortem
    left overdue."""

    threshold: Decimal
    cool_off_days: int
    contact_days: int
    outcomes: dict[str, int]
    outcome_names: dict[int, str]
    competitor_outcome: int | None
    competitor_share: float
    reasons: dict[str, int]
    reason_names: dict[int, str]
    other_reason: int | None
    price: int | None
    customer_reasons: list[int]
    other: set[int]
    overdue: int | None

    @classmethod
    def load(cls, builder: _Builder, org: Organisation, lost: list[_DealPlan]) -> _LossContext:
        rng = builder.rng
        outcomes = {
            o.name: o.pk for o in OutcomeType.objects.filter(is_active=True).order_by("order", "pk")
        }
        active = list(LossReason.objects.filter(is_active=True).order_by("order", "pk"))
        if not outcomes or not active:
            raise DemoError("The loss loop needs active outcome types and loss reasons.")
        reasons = {r.name: r.pk for r in active if not r.is_other}
        other = next((r.pk for r in active if r.is_other), None)
        competitor_outcome = outcomes.get(words.COMPETITOR_OUTCOME)
        with_competitors = sum(1 for p in lost if p.competitors)
        share = words.OUTCOMES[words.COMPETITOR_OUTCOME] * len(lost) / max(with_competitors, 1)
        # "Other" on about one loss in ten, and on an exact share of the last quarter's, so
        # that the reason list's warning (above 15% of the last quarter) stays quiet.
        quarter_start = builder.today - dt.timedelta(days=91)
        recent = [p.deal_id for p in lost if p.closed_on and p.closed_on > quarter_start]
        older = [p.deal_id for p in lost if p.closed_on and p.closed_on <= quarter_start]
        chosen = set(rng.sample(recent, int(len(recent) * words.OTHER_SHARE_LAST_QUARTER)))
        chosen |= {pk for pk in older if rng.random() < words.OTHER_SHARE}
        # The latest major loss more than three weeks old keeps its post-mortem proposed:
        # the manager's home shows it as overdue.
        cutoff = builder.today - dt.timedelta(days=OVERDUE_AFTER_DAYS)
        majors = [
            p
            for p in lost
            if p.amount >= org.major_deal_threshold and p.closed_on and p.closed_on < cutoff
        ]
        overdue = max(majors, key=lambda p: (p.closed_on, p.deal_id)).deal_id if majors else None
        return cls(
            threshold=org.major_deal_threshold,
            cool_off_days=org.debrief_cool_off_days,
            contact_days=org.post_mortem_contact_days,
            outcomes=outcomes,
            outcome_names={pk: name for name, pk in outcomes.items()},
            competitor_outcome=competitor_outcome,
            competitor_share=min(1.0, share),
            reasons=reasons,
            reason_names={r.pk: r.name for r in active},
            other_reason=other,
            price=reasons.get("Price"),
            customer_reasons=list(reasons.values()),
            other=chosen if other is not None else set(),
            overdue=overdue,
        )

    def outcome_for(self, rng: random.Random, has_competitors: bool) -> int:
        if (
            self.competitor_outcome is not None
            and has_competitors
            and rng.random() < self.competitor_share
        ):
            return self.competitor_outcome
        weights = {
            self.outcomes[name]: share
            for name, share in words.OUTCOMES.items()
            if name != words.COMPETITOR_OUTCOME and name in self.outcomes
        }
        if not weights:
            weights = {pk: 1.0 for pk in self.outcomes.values() if pk != self.competitor_outcome}
        if not weights:
            return next(iter(self.outcomes.values()))
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def reasons_for(self, rng: random.Random, outcome: int, with_other: bool) -> list[int]:
        """One to three reasons, the main one first. "Other" is mostly a side note beside a
        real reason, and the main reason mostly when nobody knows why the deal was lost."""
        table = words.OUTCOME_REASONS.get(self.outcome_names[outcome], {})
        weights = {self.reasons[n]: w for n, w in table.items() if n in self.reasons}
        if not weights:
            weights = dict.fromkeys(self.reasons.values(), 1.0)
        count = rng.choices(list(words.REASON_COUNTS), list(words.REASON_COUNTS.values()))[0]
        other_first = False
        if with_other:
            unknown = self.outcome_names[outcome] == "Unknown"
            other_first = rng.random() < (0.6 if unknown else 0.25)
            count = max(count - 1, 0 if other_first else 1)
        chosen: list[int] = []
        while len(chosen) < count and weights:
            pick = rng.choices(list(weights), weights=list(weights.values()))[0]
            del weights[pick]
            chosen.append(pick)
        if with_other and self.other_reason is not None:
            chosen.insert(0 if other_first else len(chosen), self.other_reason)
        return chosen


@dataclass
class _LossRows:
    """One batch of loss-loop rows, written in the order their foreign keys need."""

    losses: list[tuple[Any, ...]] = field(default_factory=list)
    reasons: list[tuple[Any, ...]] = field(default_factory=list)
    loss_competitors: list[tuple[Any, ...]] = field(default_factory=list)
    own_its: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)
    debriefs: list[tuple[Any, ...]] = field(default_factory=list)
    participants: list[tuple[Any, ...]] = field(default_factory=list)
    answers: list[tuple[Any, ...]] = field(default_factory=list)
    lessons: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)

    def event(self, deal: int, kind: str, actor: int, at: dt.datetime, **data: Any) -> None:
        self.events.append((deal, kind, actor, at, "", "", data))

    def write(self) -> None:
        _insert(LossRecord, LOSS_COLUMNS, self.losses)
        _insert(LossRecordReason, ["loss", "reason", "is_primary"], self.reasons)
        _insert(LossRecord.competitors.through, ["lossrecord", "competitor"], self.loss_competitors)
        _insert(OwnItReview, OWN_IT_COLUMNS, self.own_its)
        _insert(FollowUp, FOLLOW_UP_COLUMNS, self.follow_ups)
        _insert(Debrief, DEBRIEF_COLUMNS, self.debriefs)
        _insert(Debrief.participants.through, ["debrief", "user"], self.participants)
        _insert(DebriefAnswer, ANSWER_COLUMNS, self.answers)
        _insert(Lesson, LESSON_COLUMNS, self.lessons)
        _insert(DealEvent, EVENT_COLUMNS, self.events)
