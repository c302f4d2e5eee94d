"""Reads of learning shared by pages, API, tasks and matching: a practice's conditions and a
deal's facts for matching, the rep's checklist, adoption, and whether applying practices
works (win rates with Wilson intervals)."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from debrief.learning import matching
from debrief.learning.models import BestPractice, DealWords, MatchStatus, PracticeMatch
from debrief.meetings.models import MeetingOutcome, MeetingPlan
from debrief.pipeline.models import Deal, DealStatus

PLAN_TEXT_FIELDS = (
    "attendees_and_goals",
    "value_for_them",
    "purpose",
    "agenda",
    "insights_to_share",
    "information_to_get",
    "questions_and_answers",
    "best_outcome",
    "fallback_objective",
)
OUTCOME_TEXT_FIELDS = ("commitment_what", "discovery", "qualified_out_why", "note")
# Below this many closed deals on a side, a win rate says nothing: the page says so.
TOO_FEW = 10


def conditions_of(practice: BestPractice) -> matching.Conditions:
    stages = list(practice.stages.all())
    competitors = list(practice.competitors.all())
    products = list(practice.products.all())
    reasons = list(practice.reasons.all())
    statement_words = matching.spellings(" ".join([practice.statement, *(r.name for r in reasons)]))
    keyword_words = matching.spellings(practice.keywords)
    return matching.Conditions(
        stage_ids=frozenset(s.pk for s in stages),
        competitor_ids=frozenset(c.pk for c in competitors),
        product_ids=frozenset(p.pk for p in products),
        segments=frozenset(s.lower() for s in practice.segments),
        min_amount=practice.min_amount,
        max_amount=practice.max_amount,
        keyword_stems=frozenset(keyword_words),
        statement_stems=frozenset(statement_words),
        names={
            "stage": {s.pk: s.name for s in stages},
            "competitor": {c.pk: c.name for c in competitors},
            "product": {p.pk: p.name for p in products},
        },
        words_for_stems={**statement_words, **keyword_words},
    )


def deal_text(deal: Deal) -> str:
    """The words a practice is compared with: the deal's name and next step, its meeting
    plans and outcomes."""
    parts = [deal.name, deal.next_step]
    for plan in MeetingPlan.objects.filter(meeting__deal=deal).values_list(*PLAN_TEXT_FIELDS):
        parts.extend(plan)
    for outcome in MeetingOutcome.objects.filter(meeting__deal=deal).values_list(
        *OUTCOME_TEXT_FIELDS
    ):
        parts.extend(outcome)
    return "\n".join(p for p in parts if p)


def deal_texts(deal_ids: Sequence[int]) -> dict[int, str]:
    """`deal_text` of many deals in three queries whatever their number (for the bulk word
    rebuild and for deals that have no words yet). A `range` of ids is read as a range
    (`BETWEEN`), not as a list of thousands of parameters."""
    if isinstance(deal_ids, range):
        last = deal_ids[-1] if deal_ids else deal_ids.start
        by_deal, by_meeting = (
            Q(pk__range=(deal_ids.start, last)),
            Q(meeting__deal__gte=deal_ids.start, meeting__deal__lte=last),
        )
    else:
        by_deal, by_meeting = Q(pk__in=deal_ids), Q(meeting__deal_id__in=deal_ids)
    parts: dict[int, list[str]] = {
        pk: [name, next_step]
        for pk, name, next_step in Deal.objects.filter(by_deal)
        .order_by("pk")
        .values_list("pk", "name", "next_step")
    }
    for deal_id, *plan in (
        MeetingPlan.objects.filter(by_meeting)
        .order_by("meeting__deal_id", "pk")
        .values_list("meeting__deal_id", *PLAN_TEXT_FIELDS)
    ):
        parts[deal_id].extend(plan)
    for deal_id, *outcome in (
        MeetingOutcome.objects.filter(by_meeting)
        .order_by("meeting__deal_id", "pk")
        .values_list("meeting__deal_id", *OUTCOME_TEXT_FIELDS)
    ):
        parts[deal_id].extend(outcome)
    return {pk: "\n".join(p for p in texts if p) for pk, texts in parts.items()}


def deal_facts(deal_ids: Sequence[int]) -> list[matching.DealFacts]:
    """What matching needs of these deals, in four queries whatever their number."""
    rows = Deal.objects.filter(pk__in=deal_ids).values_list(
        "pk", "stage_id", "amount", "customer__segment"
    )
    competitors: dict[int, set[int]] = defaultdict(set)
    for deal_id, competitor_id in Deal.competitors.through.objects.filter(
        deal_id__in=deal_ids
    ).values_list("deal_id", "competitor_id"):
        competitors[deal_id].add(competitor_id)
    products: dict[int, set[int]] = defaultdict(set)
    for deal_id, product_id in Deal.products.through.objects.filter(
        deal_id__in=deal_ids
    ).values_list("deal_id", "product_id"):
        products[deal_id].add(product_id)
    words = dict(DealWords.objects.filter(deal_id__in=deal_ids).values_list("deal_id", "words"))
    return [
        matching.DealFacts(
            deal_id=pk,
            stage_id=stage_id,
            amount=amount,
            segment=segment or "",
            competitor_ids=frozenset(competitors.get(pk, ())),
            product_ids=frozenset(products.get(pk, ())),
            words=frozenset(words.get(pk, "").split()),
        )
        for pk, stage_id, amount, segment in rows
    ]


def checklist(matches: QuerySet[PracticeMatch]) -> QuerySet[PracticeMatch]:
    """A rep's 'practices to apply': open suggestions on open deals, strongest first."""
    return (
        matches.filter(status=MatchStatus.SUGGESTED, deal__status=DealStatus.OPEN)
        .select_related("practice", "deal__customer", "deal__stage")
        .order_by("-score", "deal__name", "pk")
    )


def adoption(matches: QuerySet[PracticeMatch], by: str) -> list[dict[str, Any]]:
    """Per rep (by='deal__owner') or per practice (by='practice'): matches, applied, not
    relevant, still to do, and the share acted on."""
    label = {"deal__owner": "deal__owner__full_name", "practice": "practice__statement"}[by]
    rows = (
        matches.exclude(status=MatchStatus.EXPIRED)
        .values(by, label)
        .annotate(
            total=Count("pk"),
            applied=Count("pk", filter=Q(status=MatchStatus.APPLIED)),
            not_relevant=Count("pk", filter=Q(status=MatchStatus.NOT_RELEVANT)),
            suggested=Count("pk", filter=Q(status=MatchStatus.SUGGESTED)),
        )
        .order_by(label)
    )
    return [
        {
            "id": row[by],
            "name": row[label],
            "total": row["total"],
            "applied": row["applied"],
            "not_relevant": row["not_relevant"],
            "to_do": row["suggested"],
            "acted_on": (row["applied"] + row["not_relevant"]) / row["total"]
            if row["total"]
            else 0.0,
        }
        for row in rows
    ]


def wilson(won: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score 95% interval for a win rate: honest at small counts, never outside
    0–100%."""
    if total == 0:
        return (0.0, 0.0)
    p = won / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True)
class Side:
    won: int
    lost: int

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.won, self.closed)


@dataclass(frozen=True)
class Effect:
    """Closed deals where the practice matched: applied versus matched but not applied."""

    practice: BestPractice | None
    applied: Side
    not_applied: Side

    @property
    def verdict(self) -> str:
        if self.applied.closed < TOO_FEW or self.not_applied.closed < TOO_FEW:
            return (
                f"Too few closed deals to tell yet (applied {self.applied.closed}, not applied "
                f"{self.not_applied.closed}; at least {TOO_FEW} each are needed)."
            )
        a_low, a_high = self.applied.interval
        n_low, n_high = self.not_applied.interval
        if a_low > n_high:
            return "Deals where it was applied win more often, beyond the margin of error."
        if a_high < n_low:
            return "Deals where it was applied win less often, beyond the margin of error."
        return "No difference beyond the margin of error yet."


def effect(matches: QuerySet[PracticeMatch]) -> tuple[Effect, list[Effect]]:
    """Overall and per practice: win rate of closed deals where a matched practice was
    applied, versus matched but not applied (not relevant, or never acted on)."""
    rows = (
        matches.filter(deal__status__in=[DealStatus.WON, DealStatus.LOST])
        .values("practice_id", "deal__status")
        .annotate(
            applied=Count("pk", filter=Q(status=MatchStatus.APPLIED)),
            other=Count("pk", filter=~Q(status=MatchStatus.APPLIED)),
        )
    )
    per: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        won = row["deal__status"] == DealStatus.WON
        bucket = per[row["practice_id"]]
        bucket["applied_won" if won else "applied_lost"] += row["applied"]
        bucket["other_won" if won else "other_lost"] += row["other"]
    practices = BestPractice.objects.in_bulk(list(per))
    effects = [
        Effect(
            practices[pk],
            Side(b["applied_won"], b["applied_lost"]),
            Side(b["other_won"], b["other_lost"]),
        )
        for pk, b in per.items()
        if pk in practices
    ]
    effects.sort(key=lambda e: e.practice.statement if e.practice else "")
    total = Effect(
        None,
        Side(sum(e.applied.won for e in effects), sum(e.applied.lost for e in effects)),
        Side(sum(e.not_applied.won for e in effects), sum(e.not_applied.lost for e in effects)),
    )
    return total, effects


def conditions_in_words(practice: BestPractice) -> list[str]:
    """When the practice applies, one plain sentence per condition; empty means every open
    deal of any team may match on its words alone."""
    said: list[str] = []
    stages = [s.name for s in practice.stages.all()]
    if stages:
        said.append(f"The deal is at {_either(stages)}.")
    competitors = [c.name for c in practice.competitors.all()]
    if competitors:
        said.append(f"We compete against {_either(competitors)}.")
    products = [p.name for p in practice.products.all()]
    if products:
        said.append(f"The deal includes {_either(products)}.")
    if practice.segments:
        said.append(f"The customer's segment is {_either(list(practice.segments))}.")
    low, high = practice.min_amount, practice.max_amount
    if low is not None and high is not None:
        said.append(f"The deal is worth between {low:,.0f} and {high:,.0f}.")
    elif low is not None:
        said.append(f"The deal is worth at least {low:,.0f}.")
    elif high is not None:
        said.append(f"The deal is worth at most {high:,.0f}.")
    reasons = [r.name for r in practice.reasons.all()]
    if reasons:
        said.append(f"It answers the loss reasons {', '.join(reasons)}.")
    if practice.keywords.strip():
        keywords = [k for k in re.split(r"[,\s]+", practice.keywords) if k]
        said.append(f"The deal's notes or plans mention {_either(keywords)}.")
    return said


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
