"""Reads of the loss loop shared by pages, API, CLI and tasks: the losses filter, losing
streaks, the "Other" warning, rep-versus-customer reasons, and the debrief invite."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from debrief.losses.models import (
    DEBRIEF_OPENER,
    DEBRIEF_QUESTIONS,
    DEBRIEF_REMINDERS,
    Debrief,
    DebriefKind,
    DebriefStatus,
    LossReason,
    LossRecord,
    LossRecordReason,
)
from debrief.notify import ics
from debrief.org.models import Organisation, User
from debrief.pipeline.models import Deal, DealStatus

OTHER_WARNING_SHARE = Decimal("0.15")
OVERDUE_AFTER_DAYS = 21


@dataclass
class LossFilters:
    """What the team's losses list can be narrowed by. Every field is optional."""

    lost_from: dt.date | None = None
    lost_to: dt.date | None = None
    reason: int | None = None
    outcome_type: int | None = None
    competitor: int | None = None
    debrief_status: str = ""
    major: bool = False
    team: int | None = None
    owner: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> LossFilters:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or raw == "":
                continue
            raw = str(raw).strip()
            try:
                if f.name in ("lost_from", "lost_to"):
                    values[f.name] = dt.date.fromisoformat(raw)
                elif f.name == "major":
                    values[f.name] = raw.lower() in ("1", "true", "yes", "on")
                elif f.name == "debrief_status":
                    if raw not in (*DebriefStatus.values, "none"):
                        raise ValueError
                    values[f.name] = raw
                else:
                    values[f.name] = int(raw)
            except ValueError:
                expected = {
                    "lost_from": "a date (YYYY-MM-DD)",
                    "lost_to": "a date (YYYY-MM-DD)",
                    "debrief_status": f"one of {', '.join([*DebriefStatus.values, 'none'])}",
                }.get(f.name, "a whole number")
                errors[f.name] = f"{raw!r} is not {expected}."
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    def apply(self, qs: QuerySet[LossRecord]) -> QuerySet[LossRecord]:
        if self.lost_from:
            qs = qs.filter(lost_on__gte=self.lost_from)
        if self.lost_to:
            qs = qs.filter(lost_on__lte=self.lost_to)
        if self.reason:
            qs = qs.filter(reason_links__reason_id=self.reason)
        if self.outcome_type:
            qs = qs.filter(outcome_type_id=self.outcome_type)
        if self.competitor:
            qs = qs.filter(competitors__id=self.competitor)
        if self.debrief_status == "none":
            qs = qs.filter(debrief__isnull=True)
        elif self.debrief_status:
            qs = qs.filter(debrief__status=self.debrief_status)
        if self.major:
            qs = qs.filter(amount_at_loss__gte=Organisation.current().major_deal_threshold)
        if self.team:
            qs = qs.filter(deal__team_id=self.team)
        if self.owner:
            qs = qs.filter(deal__owner_id=self.owner)
        return qs.distinct().order_by("-lost_on", "-pk")


def loss_list(qs: QuerySet[LossRecord]) -> QuerySet[LossRecord]:
    """What every list of losses shows, in a fixed number of queries."""
    return qs.select_related(
        "deal__customer", "deal__owner", "deal__team", "outcome_type", "stage_at_loss", "debrief"
    ).prefetch_related(
        Prefetch("reason_links", queryset=LossRecordReason.objects.select_related("reason")),
        "competitors",
    )


def active_reasons() -> QuerySet[LossReason]:
    return LossReason.objects.filter(is_active=True)


def other_share(today: dt.date | None = None) -> tuple[int, int]:
    """(losses naming an 'Other' reason, all losses) over the last three months."""
    today = today or timezone.localdate()
    recent = LossRecord.objects.filter(lost_on__gt=today - dt.timedelta(days=91))
    total = recent.count()
    other = recent.filter(
        Exists(LossRecordReason.objects.filter(loss=OuterRef("pk"), reason__is_other=True))
    ).count()
    return other, total


def other_warning(today: dt.date | None = None) -> str:
    """A sentence for admins when 'Other' swallows more than 15% of recent losses."""
    other, total = other_share(today)
    if total and Decimal(other) / total > OTHER_WARNING_SHARE:
        return (
            f"'Other' was given for {other} of the {total} losses of the last three months "
            f"({other * 100 // total}%). Add the reasons people mean, or merge 'Other' into them, "
            "so the lesson is not lost in a catch-all."
        )
    return ""


@dataclass(frozen=True)
class Streak:
    rep: User
    length: int
    since: dt.date | None


def losing_streaks(deals: QuerySet[Deal], length: int) -> list[Streak]:
    """Reps whose latest `length` or more closed deals were all lost, longest first."""
    rows = (
        deals.exclude(status=DealStatus.OPEN)
        .filter(closed_on__isnull=False)
        .order_by("owner_id", "-closed_on", "-pk")
        .values_list("owner_id", "status", "closed_on")
    )
    runs: dict[int, tuple[int, dt.date | None]] = {}
    finished: set[int] = set()
    for owner_id, status, closed_on in rows.iterator(chunk_size=2000):
        if owner_id in finished:
            continue
        if status == DealStatus.LOST:
            count, _ = runs.get(owner_id, (0, None))
            runs[owner_id] = (count + 1, closed_on)
        else:
            finished.add(owner_id)
    flagged = {pk: run for pk, run in runs.items() if run[0] >= length}
    reps = User.objects.in_bulk(list(flagged))
    return sorted(
        (Streak(reps[pk], run[0], run[1]) for pk, run in flagged.items() if pk in reps),
        key=lambda s: (-s.length, s.rep.full_name),
    )


@dataclass(frozen=True)
class ReasonPair:
    loss: LossRecord
    rep_reason: LossReason | None
    customer_reason: LossReason | None

    @property
    def differs(self) -> bool:
        return self.rep_reason != self.customer_reason


def rep_versus_customer(
    debriefs: QuerySet[Debrief], *, own_it_visible: Collection[int] | None = None
) -> list[ReasonPair]:
    """For each held debrief: the rep's decisive reason (own-it review, else the primary
    reason on the loss) beside the customer's. With `own_it_visible` (ids of the own-it
    reviews the reader may see), a review outside it is not read: the rep's words are for
    the rep and their managers, so the primary reason on the loss stands in."""
    held = (
        debriefs.filter(status=DebriefStatus.HELD)
        .select_related(
            "customer_decisive_reason",
            "loss__deal__customer",
            "loss__deal__owner",
            "loss__own_it__decisive_reason",
        )
        .prefetch_related(
            Prefetch(
                "loss__reason_links", queryset=LossRecordReason.objects.select_related("reason")
            )
        )
        .order_by("-held_at")
    )
    pairs = []
    for debrief in held:
        loss = debrief.loss
        own_it = getattr(loss, "own_it", None)
        if own_it is not None and own_it_visible is not None and own_it.pk not in own_it_visible:
            own_it = None
        rep_reason = (own_it.decisive_reason if own_it else None) or loss.primary_reason
        pairs.append(ReasonPair(loss, rep_reason, debrief.customer_decisive_reason))
    return pairs


def reason_gap(pairs: list[ReasonPair]) -> dict[str, Any]:
    """How often reps and customers name different reasons, and which pairs recur."""
    compared = [p for p in pairs if p.customer_reason is not None]
    differ = [p for p in compared if p.differs]
    rep_counts = Counter(p.rep_reason.name for p in compared if p.rep_reason)
    customer_counts = Counter(p.customer_reason.name for p in compared if p.customer_reason)
    pair_counts = Counter(
        (
            p.rep_reason.name if p.rep_reason else "—",
            p.customer_reason.name if p.customer_reason else "—",
        )
        for p in differ
    )
    reasons = sorted(set(rep_counts) | set(customer_counts))
    return {
        "compared": len(compared),
        "differ": len(differ),
        "by_reason": [
            {"reason": r, "rep": rep_counts.get(r, 0), "customer": customer_counts.get(r, 0)}
            for r in reasons
        ],
        "pairs": [
            {"rep": rep, "customer": cust, "count": n}
            for (rep, cust), n in pair_counts.most_common()
        ],
    }


def debriefs_due(debriefs: QuerySet[Debrief]) -> QuerySet[Debrief]:
    """Open debriefs, soonest first."""
    return (
        debriefs.filter(status__in=[DebriefStatus.PROPOSED, DebriefStatus.SCHEDULED])
        .select_related("leader", "loss__deal__customer", "loss__deal__owner")
        .order_by("proposed_for", "pk")
    )


def overdue_post_mortems(
    debriefs: QuerySet[Debrief], today: dt.date | None = None
) -> QuerySet[Debrief]:
    """Major losses without a held or declined post-mortem 21 days after the loss."""
    today = today or timezone.localdate()
    return debriefs_due(debriefs).filter(
        kind=DebriefKind.POST_MORTEM,
        loss__lost_on__lt=today - dt.timedelta(days=OVERDUE_AFTER_DAYS),
    )


def debrief_description(debrief: Debrief) -> str:
    deal = debrief.loss.deal
    lines = [
        f"{debrief.get_kind_display()} with {deal.customer} about {deal.name}.",
        "",
        f'Opener: "{DEBRIEF_OPENER}"',
        "",
        "Questions:",
        *(f"{n}. {q}" for n, q in enumerate(DEBRIEF_QUESTIONS, start=1)),
        "",
        "Reminders:",
        *(f"- {r}" for r in DEBRIEF_REMINDERS),
    ]
    return "\n".join(lines)


def debrief_invite_ics(debrief: Debrief, *, cancelled: bool = False) -> bytes:
    deal = debrief.loss.deal
    attendees = [
        ics.Person(p.full_name, p.email)
        for p in debrief.participants.all()
        if p.pk != debrief.leader_id
    ]
    if debrief.customer_contact and debrief.customer_contact.email:
        attendees.append(ics.Person(debrief.customer_contact.name, debrief.customer_contact.email))
    return ics.invite(
        uid=f"debrief-{debrief.pk}",
        summary=f"{debrief.get_kind_display()}: {deal.customer} — {deal.name}",
        description=debrief_description(debrief),
        start=debrief.when,
        duration=dt.timedelta(minutes=debrief.duration_minutes),
        organizer=ics.Person(debrief.leader.full_name, debrief.leader.email),
        attendees=attendees,
        sequence=debrief.version,
        cancelled=cancelled,
    )


# --- the own-it nudge ---------------------------------------------------------------------

# Causes a rep cannot change alone. Matched as whole words, lower-cased.
OUTSIDE_WORDS = frozenset(
    {
        "price", "prices", "pricing", "priced", "cost", "costs", "expensive", "cheaper",
        "cheap", "discount", "discounts", "budget", "budgets", "money", "funding",
        "marketing", "brand", "leads", "product", "products", "feature", "features",
        "roadmap", "quality", "bug", "bugs", "customer", "customers", "client", "clients",
        "buyer", "they", "them", "their", "procurement", "legal", "timing", "time",
        "economy", "market", "competitor", "competitors", "competition", "management",
    }
)  # fmt: skip
# First-person words: an answer that uses them is about what the rep did or will do.
OWN_WORDS = frozenset({"i", "i'd", "i'll", "i've", "i'm", "me", "my", "mine", "myself"})
_NOTHING = re.compile(r"^\W*(nothing|none|no idea|not much|n/?a)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


def points_outside(answer: str) -> bool:
    """One answer blames only what is outside the rep's hands: it says there was nothing to
    do, or it names a cause such as price, marketing, the product, the customer, budget or
    timing without a word about the rep ("I", "my", "me")."""
    if _NOTHING.match(answer):
        return True
    words = set(_WORD.findall(answer.lower().replace("\u2019", "'")))
    return bool(words & OUTSIDE_WORDS) and not words & OWN_WORDS


def blames_only_outside(decisive_reason: LossReason | None, answers: list[str]) -> bool:
    """Whether the own-it review deserves a kind nudge: the rep's decisive reason is one they
    cannot change alone (`outside_rep_control`), and every answer they wrote points outside
    too. Reps blame price far more often than buyers do; the page asks, gently, for the one
    thing they would do differently. A heuristic: it errs towards saying nothing."""
    written = [a for a in answers if a.strip()]
    return (
        decisive_reason is not None
        and decisive_reason.outside_rep_control
        and bool(written)
        and all(points_outside(a) for a in written)
    )
