"""Every write of learning as a team: retros and their groups, proposals and votes, best
practices and their publication, and matching them to open deals. Atomic, field-named
errors, event rows, follow-ups after commit."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import chain
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Lower
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
from debrief.learning.queries import conditions_of, deal_text, deal_texts
from debrief.losses.models import Debrief, Lesson, LossReason
from debrief.org import access
from debrief.org.models import Role, Team, User
from debrief.pipeline.models import (
    Competitor,
    Deal,
    DealEvent,
    DealStatus,
    Product,
    Stage,
    StageKind,
)

MATCH_BATCH = 2000
WORDS_BATCH = 2000  # deals per round of the bulk word rebuild
INSERT_ROWS = 10_000  # new matches per INSERT on PostgreSQL


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
    if retro.status != RetroStatus.PROPOSING:
        raise ValidationError({"retro": f"This retro is {retro.get_status_display().lower()}."})
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
    if group is None and not access.can_run_retro(by, retro):
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
    if retro.status != RetroStatus.PROPOSING:
        raise ValidationError({"retro": f"This retro is {retro.get_status_display().lower()}."})
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
    if retro.status == RetroStatus.CLOSED:
        raise ValidationError({"retro": "This retro is already closed."})
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
    source_debriefs: Sequence[Debrief] | None = None


def _check_practice(data: PracticeInput) -> None:
    errors: dict[str, str] = {}
    if not data.statement.strip():
        errors["statement"] = "Say the practice in one sentence."
    retired = [s.name for s in data.stages if not s.is_active]
    if retired:
        errors["stages"] = f"Retired stage(s): {', '.join(retired)}."
    closed = [s.name for s in data.stages if s.kind != StageKind.OPEN]
    if closed:
        errors["stages"] = (
            f"Practices apply to open deals: {', '.join(closed)} is not an open stage."
        )
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
    if data.source_debriefs is not None:
        practice.source_debriefs.set(data.source_debriefs)
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
    practice = BestPractice.objects.select_for_update().get(pk=practice.pk)
    if practice.status == PracticeStatus.RETIRED:
        raise ValidationError({"status": "This practice is already retired."})
    practice.status = PracticeStatus.RETIRED
    practice.save(update_fields=["status", "updated_at"])
    PracticeMatch.objects.filter(practice=practice, status=MatchStatus.SUGGESTED).delete()
    PracticeEvent.objects.create(practice=practice, kind="retired", actor=by, data={"why": why})
    return practice


# --- matching -----------------------------------------------------------------------------


@transaction.atomic
def match_practice(practice: BestPractice) -> int:
    """Find every open deal of the practice's team it applies to; keep what reps already
    decided, add new suggestions, drop suggestions that no longer apply. Returns the number
    of deals it applies to (suggested or already decided). A practice is its team's: the
    team published it and its reps can open it, so it is matched to their deals only."""
    conditions = conditions_of(practice)
    found = _explain_open_deals(conditions, practice.team_id)
    _save_matches(practice, found)
    return len(found)


def _explain_open_deals(conditions: matching.Conditions, team_id: int) -> dict[int, dict[str, Any]]:
    """Deal id → reasons, for every open deal the conditions apply to, in one query (read
    MATCH_BATCH rows at a time): the database narrows on the structured conditions and the
    keywords, `matching.explain` decides and says why (the same explanation as for one
    deal). An open deal without words yet (e.g. just imported) is a candidate whatever its
    text: its words are made and stored on the way, so it is matched like any other."""
    deals = Deal.objects.filter(status=DealStatus.OPEN, team_id=team_id)
    if conditions.stage_ids:
        deals = deals.filter(stage_id__in=conditions.stage_ids)
    if conditions.min_amount is not None:
        deals = deals.filter(amount__gte=conditions.min_amount)
    if conditions.max_amount is not None:
        deals = deals.filter(amount__lte=conditions.max_amount)
    if conditions.segments:
        deals = deals.alias(segment_lower=Lower("customer__segment")).filter(
            segment_lower__in=conditions.segments
        )
    # One yes/no column per competitor and product a condition names: all explain() needs.
    named: dict[str, int] = {}
    for kind, through, ids in (
        ("competitor", Deal.competitors.through, conditions.competitor_ids),
        ("product", Deal.products.through, conditions.product_ids),
    ):
        if not ids:
            continue
        names = {f"has_{kind}_{pk}": pk for pk in sorted(ids)}
        links = through.objects.filter(deal_id=OuterRef("pk"))
        deals = deals.filter(Exists(links.filter(**{f"{kind}_id__in": ids}))).annotate(
            **{name: Exists(links.filter(**{f"{kind}_id": pk})) for name, pk in names.items()}
        )
        named.update(names)
    no_words = Q(words__isnull=True)
    if conditions.keyword_stems:
        any_keyword = Q()
        for keyword in sorted(conditions.keyword_stems):
            any_keyword |= Q(words__words__contains=f" {keyword} ")
        deals = deals.filter(no_words | any_keyword)
    elif not conditions.has_structure:
        # Only shared words can make the match: let the database count them.
        shared: Any = Value(0)
        for word in sorted(conditions.statement_stems):
            shared += Case(
                When(words__words__contains=f" {word} ", then=Value(1)), default=Value(0)
            )
        deals = deals.alias(shared=shared).filter(
            no_words | Q(shared__gte=matching.MIN_SHARED_WORDS)
        )
    # Amount and segment are read (and converted) only when a condition looks at them.
    by_amount = conditions.min_amount is not None or conditions.max_amount is not None
    by_segment = bool(conditions.segments)
    # No ORDER BY: PostgreSQL would walk the primary key of every deal to give it; the
    # matches are written in deal order all the same (_save_matches).
    rows = deals.order_by().values_list(
        "pk",
        "words__words",
        "stage_id",
        *(["amount"] if by_amount else []),
        *(["customer__segment"] if by_segment else []),
        *named,
    )
    explainer = matching.Explainer(conditions)
    competitor_at = [
        (i, pk) for i, (name, pk) in enumerate(named.items()) if name.startswith("has_comp")
    ]
    product_at = [
        (i, pk) for i, (name, pk) in enumerate(named.items()) if name.startswith("has_prod")
    ]
    first_flag = int(by_amount) + int(by_segment)  # in `more`, after amount and segment
    zero = Decimal(0)
    found: dict[int, dict[str, Any]] = {}
    chunk: list[tuple[Any, ...]] = []
    for row in chain(rows.iterator(chunk_size=MATCH_BATCH), [None]):
        if row is not None:
            chunk.append(row)
            if len(chunk) < MATCH_BATCH:
                continue
        made = _store_words([r[0] for r in chunk if r[1] is None])
        for pk, words, stage_id, *more in chunk:
            flags = more[first_flag:]
            reasons = explainer.explain(
                pk,
                stage_id,
                more[0] if by_amount else zero,
                (more[int(by_amount)] or "") if by_segment else "",
                frozenset(other for i, other in competitor_at if flags[i]),
                frozenset(other for i, other in product_at if flags[i]),
                made.get(pk, "") if words is None else words,
            )
            if reasons is not None:
                found[pk] = reasons
        chunk = []
    return found


def _save_matches(practice: BestPractice, found: dict[int, dict[str, Any]]) -> None:
    """Write what matching found for one practice: new suggestions in bulk, suggestions whose
    reasons changed updated, suggestions that no longer apply deleted; decided matches kept."""
    existing = (
        PracticeMatch.objects.filter(practice=practice)
        .order_by()
        .values_list("pk", "deal_id", "status", "score", "reasons")
    )
    seen: set[int] = set()
    stale: list[int] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for pk, deal_id, status, score, reasons in existing.iterator(chunk_size=MATCH_BATCH):
        seen.add(deal_id)
        if status != MatchStatus.SUGGESTED:
            continue
        new = found.get(deal_id)
        if new is None:
            stale.append(pk)
        elif new != reasons or new["score"] != score:
            changed.append((pk, new))
    for start in range(0, len(stale), MATCH_BATCH):
        PracticeMatch.objects.filter(pk__in=stale[start : start + MATCH_BATCH]).delete()
    _write_matches(
        practice.pk, [(deal_id, found[deal_id]) for deal_id in sorted(found) if deal_id not in seen]
    )
    _write_matches(practice.pk, changed, update=True)


def _write_matches(
    practice_id: int, rows: Sequence[tuple[int, dict[str, Any]]], *, update: bool = False
) -> None:
    """Insert suggestions (rows of deal id, reasons), INSERT_ROWS to a statement, or update
    them (rows of match id, reasons). A practice can match tens of thousands of deals: model
    instances through bulk_create took seconds, and so did one statement per row on
    PostgreSQL. Alike deals share one reasons dict (matching.Explainer), encoded once."""
    if not rows:
        return
    meta = PracticeMatch._meta
    encoder = meta.get_field("reasons").encoder
    encoded: dict[int, str] = {}

    def encode(reasons: dict[str, Any]) -> str:
        key = id(reasons)
        if key not in encoded:
            encoded[key] = json.dumps(reasons, cls=encoder)
        return encoded[key]

    # What JSONField stores: JSON text, which PostgreSQL's jsonb column wants cast.
    as_json = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    table = connection.ops.quote_name(meta.db_table)
    now = meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        if update:
            cursor.executemany(
                f"UPDATE {table} SET score = %s, reasons = {as_json}, updated_at = %s "
                "WHERE id = %s",
                [(r["score"], encode(r), now, pk) for pk, r in rows],
            )
            return
        columns = "practice_id, deal_id, status, score, reasons, note, created_at, updated_at"
        if connection.vendor == "postgresql":
            # Three arrays in one short statement: many rows of placeholders took seconds
            # to build and parse.
            for start in range(0, len(rows), INSERT_ROWS):
                batch = rows[start : start + INSERT_ROWS]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT %s, deal_id, %s, score, "
                    "reasons::jsonb, '', %s, %s FROM unnest(%s::bigint[], %s::float8[], "
                    "%s::text[]) AS found(deal_id, score, reasons)",
                    [
                        practice_id,
                        MatchStatus.SUGGESTED.value,
                        now,
                        now,
                        [deal_id for deal_id, _ in batch],
                        [r["score"] for _, r in batch],
                        [encode(r) for _, r in batch],
                    ],
                )
            return
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, '', %s, %s)",
            [
                (practice_id, deal_id, MatchStatus.SUGGESTED.value, r["score"], encode(r), now, now)
                for deal_id, r in rows
            ],
        )


@transaction.atomic
def rematch_deal(deal: Deal) -> list[PracticeMatch]:
    """After a deal changed: refresh its words, expire its open suggestions if it closed,
    and test it against every published practice. Returns the new suggestions."""
    words = matching.pack(matching.stems(deal_text(deal)))
    DealWords.objects.bulk_create(
        [DealWords(deal=deal, words=words)],
        update_conflicts=True,
        unique_fields=["deal"],
        update_fields=["words", "updated_at"],
    )
    if deal.status != DealStatus.OPEN:
        PracticeMatch.objects.filter(deal=deal, status=MatchStatus.SUGGESTED).update(
            status=MatchStatus.EXPIRED, updated_at=timezone.now()
        )
        return []
    practices = [
        (practice, conditions_of(practice))
        for practice in BestPractice.objects.filter(
            status=PracticeStatus.PUBLISHED, team_id=deal.team_id
        ).prefetch_related("stages", "competitors", "products", "reasons")
    ]
    # The deal's own facts, read only when some practice has a condition on them.
    facts = matching.DealFacts(
        deal_id=deal.pk,
        stage_id=deal.stage_id,
        amount=deal.amount,
        segment=(deal.customer.segment or "") if any(c.segments for _, c in practices) else "",
        competitor_ids=frozenset(
            Deal.competitors.through.objects.filter(deal_id=deal.pk).values_list(
                "competitor_id", flat=True
            )
        )
        if any(c.competitor_ids for _, c in practices)
        else frozenset(),
        product_ids=frozenset(
            Deal.products.through.objects.filter(deal_id=deal.pk).values_list(
                "product_id", flat=True
            )
        )
        if any(c.product_ids for _, c in practices)
        else frozenset(),
        words=frozenset(words.split()),
    )
    existing = {
        practice_id: (pk, status, score, reasons)
        for pk, practice_id, status, score, reasons in PracticeMatch.objects.filter(
            deal=deal
        ).values_list("pk", "practice_id", "status", "score", "reasons")
    }
    new: list[PracticeMatch] = []
    changed: list[PracticeMatch] = []
    stale: list[int] = []
    now = timezone.now()
    for practice, conditions in practices:
        reasons = matching.explain(conditions, facts)
        pk, status, score, stored = existing.get(practice.pk, (None, None, None, None))
        if pk is None:
            if reasons is not None:
                new.append(
                    PracticeMatch(
                        practice=practice, deal=deal, score=reasons["score"], reasons=reasons
                    )
                )
        elif status != MatchStatus.SUGGESTED:
            continue
        elif reasons is None:
            stale.append(pk)
        elif reasons != stored or reasons["score"] != score:
            changed.append(
                PracticeMatch(pk=pk, score=reasons["score"], reasons=reasons, updated_at=now)
            )
    # A deal moved to another team leaves the old team's suggestions behind.
    ours = {practice.pk for practice, _ in practices}
    stale += [
        pk
        for practice_id, (pk, status, _, _) in existing.items()
        if practice_id not in ours and status == MatchStatus.SUGGESTED
    ]
    if stale:
        PracticeMatch.objects.filter(pk__in=stale).delete()
    if changed:
        PracticeMatch.objects.bulk_update(changed, ["score", "reasons", "updated_at"])
    return PracticeMatch.objects.bulk_create(new)


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


def refresh_deal_words(deals: Iterable[Deal | int], *, batch: int = WORDS_BATCH) -> int:
    """(Re)build the words of these deals (objects or ids), e.g. after an import: a few
    queries per `batch` deals, written with one upsert per batch. Returns the count."""
    ids = sorted({deal if isinstance(deal, int) else deal.pk for deal in deals})
    count = 0
    for start in range(0, len(ids), batch):
        count += len(_store_words(ids[start : start + batch]))
    return count


def rebuild_deal_words(batch: int = WORDS_BATCH) -> int:
    """(Re)build the words of every deal: after the demo loader, an import, or a change to
    how words are made (`debrief learning_words --rebuild`). Returns the count."""
    count = 0
    last = 0
    while True:
        ids = list(
            Deal.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        count += len(_store_words(range(ids[0], ids[-1] + 1)))
        last = ids[-1]
    # The whole table was rewritten: fresh statistics keep the plan of matching right.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(DealWords._meta.db_table)}")
    return count


def _store_words(deal_ids: Sequence[int]) -> dict[int, str]:
    """Make and store (insert or replace) the words of these deals; returns them."""
    if not deal_ids:
        return {}
    words = {pk: matching.pack(matching.stems(text)) for pk, text in deal_texts(deal_ids).items()}
    DealWords.objects.bulk_create(
        [DealWords(deal_id=pk, words=packed) for pk, packed in words.items()],
        batch_size=WORDS_BATCH,
        update_conflicts=True,
        unique_fields=["deal"],
        update_fields=["words", "updated_at"],
    )
    return words
