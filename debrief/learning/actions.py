"""Every write of learning as a team: retros and their groups, proposals and votes, best
practices and their publication, and matching them to open deals. Atomic, field-named
errors, event rows, follow-ups after commit."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from debrief.learning import matching, tasks
from debrief.learning.models import (
    BestPractice,
    DealWords,
    MatchStatus,
    PracticeEvent,
    PracticeMatch,
    PracticeStatus,
    Proposal,
    ProposalStatus,
    Retro,
    RetroGroup,
    RetroStatus,
    Vote,
)
from debrief.learning.queries import conditions_of, deal_facts, deal_text
from debrief.losses.models import Debrief, Lesson, LossReason
from debrief.org import access
from debrief.org.models import Role, Team, User
from debrief.pipeline.models import Competitor, Deal, DealEvent, DealStatus, Product, Stage

MATCH_BATCH = 2000


# --- retros -------------------------------------------------------------------------------


def group_sizes(count: int) -> list[int]:
    """How `count` attendees split into groups of 3–4, as evenly as possible. Counts that
    cannot split so stay one group: 1, 2 (too few to split) and 5 (a group of 5 beats a
    group of 2). Otherwise: as few groups as keep every group at 4 or fewer."""
    if count <= 5:
        return [count] if count else []
    groups = -(-count // 4)  # ceil
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


@transaction.atomic
def open_retro(
    by: User, *, team: Team, title: str, deals: Sequence[Deal], attendees: Sequence[User]
) -> Retro:
    errors: dict[str, str] = {}
    deals = list(Deal.objects.filter(pk__in=[d.pk for d in deals]))  # their state now
    if not (access.is_admin(by) or team.pk in access.managed_team_ids(by)):
        errors["team"] = "Only the team's manager runs its retros."
    if not title.strip():
        errors["title"] = "Name the retro."
    if not deals:
        errors["deals"] = "Choose the lost deal(s) to learn from."
    not_lost = [d.name for d in deals if d.status != DealStatus.LOST]
    if not_lost:
        errors["deals"] = f"Retros are on lost deals: {', '.join(not_lost)} is not lost."
    elsewhere = [d.name for d in deals if d.team_id != team.pk]
    if elsewhere:
        errors["deals"] = f"Not a deal of {team}: {', '.join(elsewhere)}."
    people = list(dict.fromkeys([*attendees]))
    outsiders = [
        str(u)
        for u in people
        if not Team.objects.filter(Q(members=u) | Q(managers=u), pk=team.pk).exists()
    ]
    if outsiders:
        errors["attendees"] = f"Not in {team}: {', '.join(outsiders)}."
    if not people:
        errors["attendees"] = "Invite the team."
    if errors:
        raise ValidationError(errors)
    retro = Retro.objects.create(team=team, title=title.strip()[:200], facilitator=by)
    retro.deals.set(deals)
    retro.attendees.set(people)
    _form_groups(retro, people)
    return retro


def _form_groups(retro: Retro, people: list[User]) -> None:
    """Balanced groups: shuffled deterministically for this retro and reshuffle count, then
    dealt round-robin so reps are spread and sizes differ by at most one."""
    rng = random.Random(f"{retro.pk}:{retro.shuffle_count}")
    order = sorted(people, key=lambda u: u.pk)
    rng.shuffle(order)
    # Spread managers across groups before reps, so no group is all managers.
    order.sort(key=lambda u: 0 if u.role == Role.MANAGER else 1)
    sizes = group_sizes(len(order))
    buckets: list[list[User]] = [[] for _ in sizes]
    index = 0
    for person in order:
        while len(buckets[index % len(buckets)]) >= sizes[index % len(buckets)]:
            index += 1
        buckets[index % len(buckets)].append(person)
        index += 1
    RetroGroup.objects.filter(retro=retro).delete()
    for number, members in enumerate(buckets, start=1):
        group = RetroGroup.objects.create(retro=retro, number=number)
        group.members.set(members)


@transaction.atomic
def reshuffle_groups(retro: Retro, by: User) -> Retro:
    retro = Retro.objects.select_for_update().get(pk=retro.pk)
    _check_facilitator(retro, by)
    if retro.proposals.exists():
        raise ValidationError({"groups": "Groups have started proposing: keep them as they are."})
    retro.shuffle_count += 1
    retro.save(update_fields=["shuffle_count", "updated_at"])
    _form_groups(retro, list(retro.attendees.all()))
    return retro


def _check_facilitator(retro: Retro, by: User) -> None:
    if not (
        by.pk == retro.facilitator_id
        or retro.team_id in access.managed_team_ids(by)
        or access.is_admin(by)
    ):
        raise ValidationError({"retro": "Only the team's manager runs this retro."})


@transaction.atomic
def propose(retro: Retro, by: User, *, statement: str, why: str = "") -> Proposal:
    errors: dict[str, str] = {}
    if retro.status != RetroStatus.PROPOSING:
        errors["retro"] = "Proposals are closed: the team is voting."
    group = RetroGroup.objects.filter(retro=retro, members=by).first()
    if group is None and by.pk != retro.facilitator_id:
        errors["author"] = "Only the retro's attendees propose."
    if not statement.strip():
        errors["statement"] = "Say the practice in one sentence."
    if errors:
        raise ValidationError(errors)
    return Proposal.objects.create(
        retro=retro, group=group, author=by, statement=statement.strip()[:300], why=why.strip()
    )


@transaction.atomic
def merge_proposals(keep: Proposal, duplicate: Proposal, by: User) -> Proposal:
    _check_facilitator(keep.retro, by)
    if keep.pk == duplicate.pk:
        raise ValidationError({"duplicate": "A proposal cannot be merged into itself."})
    if keep.retro_id != duplicate.retro_id:
        raise ValidationError({"duplicate": "Merge proposals of the same retro."})
    if duplicate.status != ProposalStatus.PROPOSED or keep.status != ProposalStatus.PROPOSED:
        raise ValidationError({"duplicate": "Only open proposals are merged."})
    for vote in duplicate.votes.all():
        # A voter who backed both keeps one vote.
        if not Vote.objects.filter(proposal=keep, voter_id=vote.voter_id).exists():
            Vote.objects.create(proposal=keep, voter_id=vote.voter_id)
    duplicate.votes.all().delete()
    duplicate.status = ProposalStatus.MERGED
    duplicate.merged_into = keep
    duplicate.save(update_fields=["status", "merged_into", "updated_at"])
    if duplicate.why and duplicate.why not in keep.why:
        keep.why = (keep.why + "\n" + duplicate.why).strip()
        keep.save(update_fields=["why", "updated_at"])
    return keep


@transaction.atomic
def start_voting(retro: Retro, by: User) -> Retro:
    _check_facilitator(retro, by)
    if not retro.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        raise ValidationError({"retro": "There is nothing to vote on yet."})
    retro.status = RetroStatus.VOTING
    retro.save(update_fields=["status", "updated_at"])
    return retro


@transaction.atomic
def vote(proposal: Proposal, by: User) -> Vote:
    retro = proposal.retro
    errors: dict[str, str] = {}
    if retro.status != RetroStatus.VOTING:
        errors["retro"] = "Voting is not open."
    if not retro.attendees.filter(pk=by.pk).exists():
        errors["voter"] = "Only the retro's attendees vote."
    if proposal.status != ProposalStatus.PROPOSED:
        errors["proposal"] = "This proposal is no longer open."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Vote.objects.create(proposal=proposal, voter=by)
    except IntegrityError:
        raise ValidationError({"voter": "You have already voted for this proposal."}) from None


@transaction.atomic
def accept_proposal(proposal: Proposal, by: User) -> BestPractice:
    """The manager accepts: the proposal becomes a draft best practice owned by them, linked
    to the retro's deals, their debriefs and lessons."""
    retro = proposal.retro
    if not (retro.team_id in access.managed_team_ids(by) or access.is_admin(by)):
        raise ValidationError({"proposal": "Only the manager of this retro's team accepts."})
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"proposal": f"This proposal is {proposal.get_status_display()}."})
    proposal.status = ProposalStatus.ACCEPTED
    proposal.save(update_fields=["status", "updated_at"])
    deals = list(retro.deals.all())
    practice = BestPractice.objects.create(
        team=retro.team,
        statement=proposal.statement,
        why=proposal.why,
        owner=by,
        retro=retro,
        proposal=proposal,
    )
    practice.source_deals.set(deals)
    practice.source_debriefs.set(Debrief.objects.filter(loss__deal__in=deals))
    practice.source_lessons.set(Lesson.objects.filter(loss__deal__in=deals))
    PracticeEvent.objects.create(
        practice=practice, kind="accepted", actor=by, data={"proposal_id": proposal.pk}
    )
    return practice


@transaction.atomic
def close_retro(retro: Retro, by: User) -> Retro:
    _check_facilitator(retro, by)
    retro.status = RetroStatus.CLOSED
    retro.save(update_fields=["status", "updated_at"])
    retro.proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.REJECTED)
    return retro


# --- best practices -----------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeInput:
    statement: str
    why: str = ""
    stages: Sequence[Stage] = ()
    competitors: Sequence[Competitor] = ()
    products: Sequence[Product] = ()
    segments: Sequence[str] = ()
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    reasons: Sequence[LossReason] = ()
    keywords: str = ""
    source_deals: Sequence[Deal] | None = None
    source_lessons: Sequence[Lesson] | None = None


def _check_practice(data: PracticeInput) -> None:
    errors: dict[str, str] = {}
    if not data.statement.strip():
        errors["statement"] = "Say the practice in one sentence."
    retired = [s.name for s in data.stages if not s.is_active]
    if retired:
        errors["stages"] = f"Retired stage(s): {', '.join(retired)}."
    if (
        data.min_amount is not None
        and data.max_amount is not None
        and data.min_amount > data.max_amount
    ):
        errors["max_amount"] = "The largest deal size is below the smallest."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def write_practice(
    by: User, data: PracticeInput, *, team: Team, practice: BestPractice | None = None
) -> BestPractice:
    """Create a draft practice, or change one (a published one is re-matched)."""
    _check_practice(data)
    if practice is None:
        practice = BestPractice.objects.create(team=team, statement="", owner=by)
    practice.statement = data.statement.strip()[:300]
    practice.why = data.why.strip()
    practice.segments = sorted({s.strip() for s in data.segments if s.strip()})
    practice.min_amount = data.min_amount
    practice.max_amount = data.max_amount
    practice.keywords = data.keywords.strip()[:300]
    practice.version += 1
    practice.save()
    practice.stages.set(data.stages)
    practice.competitors.set(data.competitors)
    practice.products.set(data.products)
    practice.reasons.set(data.reasons)
    if data.source_deals is not None:
        practice.source_deals.set(data.source_deals)
    if data.source_lessons is not None:
        practice.source_lessons.set(data.source_lessons)
    if practice.status == PracticeStatus.PUBLISHED:
        transaction.on_commit(partial(tasks.match_practice_task.enqueue, practice.pk))
    return practice


@transaction.atomic
def publish_practice(practice: BestPractice, by: User) -> BestPractice:
    """Publish to the whole team: it joins the playbook, everyone is told, and it is matched
    against every open deal at once."""
    practice = BestPractice.objects.select_for_update().get(pk=practice.pk)
    if not practice.statement.strip():
        raise ValidationError({"statement": "A practice needs its statement before publishing."})
    if practice.status == PracticeStatus.PUBLISHED:
        raise ValidationError({"status": "This practice is already published."})
    practice.status = PracticeStatus.PUBLISHED
    practice.published_at = timezone.now()
    practice.save(update_fields=["status", "published_at", "updated_at"])
    PracticeEvent.objects.create(practice=practice, kind="published", actor=by)
    match_practice(practice)
    transaction.on_commit(partial(tasks.announce_practice.enqueue, practice.pk))
    return practice


@transaction.atomic
def retire_practice(practice: BestPractice, by: User, *, why: str = "") -> BestPractice:
    practice.status = PracticeStatus.RETIRED
    practice.save(update_fields=["status", "updated_at"])
    PracticeMatch.objects.filter(practice=practice, status=MatchStatus.SUGGESTED).delete()
    PracticeEvent.objects.create(practice=practice, kind="retired", actor=by, data={"why": why})
    return practice


# --- matching -----------------------------------------------------------------------------


@transaction.atomic
def match_practice(practice: BestPractice) -> int:
    """Find every open deal the practice applies to; keep what reps already decided, add new
    suggestions, drop suggestions that no longer apply. Returns the number of suggestions."""
    conditions = conditions_of(practice)
    open_deals = Deal.objects.filter(status=DealStatus.OPEN)
    if conditions.stage_ids:
        open_deals = open_deals.filter(stage_id__in=conditions.stage_ids)
    if conditions.min_amount is not None:
        open_deals = open_deals.filter(amount__gte=conditions.min_amount)
    if conditions.max_amount is not None:
        open_deals = open_deals.filter(amount__lte=conditions.max_amount)
    if conditions.competitor_ids:
        open_deals = open_deals.filter(competitors__in=conditions.competitor_ids)
    if conditions.product_ids:
        open_deals = open_deals.filter(products__in=conditions.product_ids)
    if conditions.keyword_stems:
        any_keyword = Q()
        for keyword in conditions.keyword_stems:
            any_keyword |= Q(words__words__contains=f" {keyword} ")
        open_deals = open_deals.filter(any_keyword)
    decided = dict(PracticeMatch.objects.filter(practice=practice).values_list("deal_id", "status"))
    found: dict[int, dict[str, Any]] = {}
    ids = open_deals.distinct().values_list("pk", flat=True).order_by("pk")
    id_list = list(ids)
    for start in range(0, len(id_list), MATCH_BATCH):
        for facts in deal_facts(id_list[start : start + MATCH_BATCH]):
            reasons = matching.explain(conditions, facts)
            if reasons is not None:
                found[facts.deal_id] = reasons
    stale = [
        deal_id
        for deal_id, status in decided.items()
        if status == MatchStatus.SUGGESTED and deal_id not in found
    ]
    PracticeMatch.objects.filter(practice=practice, deal_id__in=stale).delete()
    new = [
        PracticeMatch(practice=practice, deal_id=deal_id, score=r["score"], reasons=r)
        for deal_id, r in found.items()
        if deal_id not in decided
    ]
    PracticeMatch.objects.bulk_create(new, batch_size=MATCH_BATCH)
    refreshed = [
        PracticeMatch(practice=practice, deal_id=deal_id, score=r["score"], reasons=r)
        for deal_id, r in found.items()
        if decided.get(deal_id) == MatchStatus.SUGGESTED
    ]
    if refreshed:
        existing = dict(
            PracticeMatch.objects.filter(
                practice=practice, deal_id__in=[m.deal_id for m in refreshed]
            ).values_list("deal_id", "pk")
        )
        for match in refreshed:
            match.pk = existing[match.deal_id]
        PracticeMatch.objects.bulk_update(refreshed, ["score", "reasons"], batch_size=MATCH_BATCH)
    return len(found)


@transaction.atomic
def rematch_deal(deal: Deal) -> list[PracticeMatch]:
    """After a deal changed: refresh its words, expire its open suggestions if it closed,
    and test it against every published practice."""
    text = deal_text(deal)
    DealWords.objects.update_or_create(
        deal=deal, defaults={"words": matching.pack(matching.stems(text))}
    )
    if deal.status != DealStatus.OPEN:
        PracticeMatch.objects.filter(deal=deal, status=MatchStatus.SUGGESTED).update(
            status=MatchStatus.EXPIRED, updated_at=timezone.now()
        )
        return []
    facts = deal_facts([deal.pk])[0]
    decided = dict(PracticeMatch.objects.filter(deal=deal).values_list("practice_id", "status"))
    kept: list[PracticeMatch] = []
    for practice in BestPractice.objects.filter(status=PracticeStatus.PUBLISHED).prefetch_related(
        "stages", "competitors", "products", "reasons"
    ):
        reasons = matching.explain(conditions_of(practice), facts)
        status = decided.get(practice.pk)
        if reasons is None:
            if status == MatchStatus.SUGGESTED:
                PracticeMatch.objects.filter(practice=practice, deal=deal).delete()
            continue
        if status is None:
            kept.append(
                PracticeMatch.objects.create(
                    practice=practice, deal=deal, score=reasons["score"], reasons=reasons
                )
            )
        elif status == MatchStatus.SUGGESTED:
            PracticeMatch.objects.filter(practice=practice, deal=deal).update(
                score=reasons["score"], reasons=reasons, updated_at=timezone.now()
            )
    return kept


def _decide(match: PracticeMatch, by: User, status: str, note: str) -> PracticeMatch:
    match = (
        PracticeMatch.objects.select_for_update()
        .select_related("deal", "practice")
        .get(pk=match.pk)
    )
    errors: dict[str, str] = {}
    if match.deal.status != DealStatus.OPEN:
        errors["deal"] = "The deal is closed: its checklist is history now."
    if match.status != MatchStatus.SUGGESTED:
        errors["status"] = f"Already marked {match.get_status_display().lower()}."
    if not access.can_edit_deal(by, match.deal):
        errors["deal"] = "Only whoever may change the deal works its checklist."
    if not note.strip():
        errors["note"] = (
            "Say what you did." if status == MatchStatus.APPLIED else "Say why it does not apply."
        )
    if errors:
        raise ValidationError(errors)
    match.status = status
    match.note = note.strip()
    match.decided_by = by
    match.decided_at = timezone.now()
    match.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
    PracticeEvent.objects.create(
        practice=match.practice, kind=status, actor=by, data={"deal_id": match.deal_id}
    )
    if status == MatchStatus.APPLIED:
        DealEvent.objects.create(
            deal=match.deal,
            kind="practice_applied",
            actor=by,
            data={
                "practice_id": match.practice_id,
                "summary": f"Practice applied: {match.practice.statement}",
            },
        )
    return match


@transaction.atomic
def apply_match(match: PracticeMatch, by: User, *, note: str) -> PracticeMatch:
    return _decide(match, by, MatchStatus.APPLIED, note)


@transaction.atomic
def dismiss_match(match: PracticeMatch, by: User, *, why: str) -> PracticeMatch:
    return _decide(match, by, MatchStatus.NOT_RELEVANT, why)


def refresh_deal_words(deals: Iterable[Deal]) -> int:
    """(Re)build the words of many deals, e.g. after an import or for the demo."""
    count = 0
    for deal in deals:
        DealWords.objects.update_or_create(
            deal=deal, defaults={"words": matching.pack(matching.stems(deal_text(deal)))}
        )
        count += 1
    return count
