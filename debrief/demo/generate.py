"""The demo organisation: a B2B software company's sales team with two years of pipeline
history, generated from a seed so that the same seed always gives the same data.

Users, teams, the organisation's settings, products and competitors go through the actions
like every other write. Customers, contacts, deals, their links and their event rows do not:
this module is the one documented exception to "writes go through actions", because it seeds
an empty database with up to hundreds of thousands of deals, and one action call per deal
and per stage change would take hours. It generates rows in memory and writes them with plain
multi-row INSERTs, 5,000 deals at a time, inside one transaction, and produces exactly what
the actions would have produced: a deal's status is the kind of its stage, closed deals carry
`closed_on` (the date of the closing event, as `move_deal_stage` sets it), and every change
(created, each stage move, won or lost, amount and owner changes) has its `DealEvent` row,
with the owner of the time as actor.

The shape: 2 teams by region, each with a manager and 4 reps, an analyst and an admin; about
300 customers with 2–4 contacts; 2,000 deals created over the 24 months before the anchor
day. Exactly 60–65% of the deals are closed (the older ones mostly) and exactly 22–28% of
those are won, the rate set by the seed; referrals, partners, some reps and some competitors
win more often than others, so that insights have something to find.

Determinism: every random choice comes from one `random.Random(seed)`, drawn in a fixed
order. Dates hang off an anchor day (today unless given): the history ends the day before the
anchor, so for one seed the data relative to the anchor is identical whatever the day, and
identical outright for the same seed and anchor. Demo customers and deals carry
`external_source="demo"`, which is how `reset_demo` finds them again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
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
from debrief.org import actions as org_actions
from debrief.org.models import Role, Team, User
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
HISTORY_DAYS = 730
BATCH = 5_000
UTC = dt.UTC


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
        builder.people()
        builder.catalogue()
        builder.customers(customers if customers is not None else default_customers(deals))
        builder.deals(deals)
        _analyze(
            Customer,
            Contact,
            Deal,
            DealContact,
            DealEvent,
            Deal.products.through,
            Deal.competitors.through,
        )
        return builder.summary


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
    contacts: list[int] = field(default_factory=list)


@dataclass
class _DealPlan:
    customer: _CustomerPlan
    created: dt.datetime
    source: str
    competitors: list[int]
    owner: int
    outcome: str = DealStatus.OPEN


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
    adapters = [_adapter(f) for f in given]
    quote = connection.ops.quote_name
    fields = [*given, *rest]
    target = "{} ({})".format(
        quote(meta.db_table), ", ".join(quote(cast(str, f.column)) for f in fields)
    )
    if connection.vendor == "postgresql":
        # COPY is PostgreSQL's bulk-load path: no statement to parse, however many rows.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row([*(a(v) for a, v in zip(adapters, row, strict=True)), *rest_values])
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
                params += [adapt(v) for adapt, v in zip(adapters, row, strict=True)]
                params += rest_values
            cursor.execute(head + ", ".join([placeholders] * len(chunk)), params)


def _adapter(f: Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of this field goes to the database. Keys, numbers and strings go as they
    are; dates, decimals and JSON need the backend's own adaptation."""
    kind = f.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind in ("DecimalField", "JSONField"):
        return partial(f.get_db_prep_save, connection=connection)
    return _as_is


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
            plan = _CustomerPlan(first_id + index, short, segment, region, size, team, owner)
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
