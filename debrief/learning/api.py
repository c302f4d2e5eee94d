"""The learning API: retros with their groups and proposals, best practices, and their matches
to open deals (the rep's checklist, adoption, and whether applying practices works). Reads go
through `org.access`, writes through `learning.actions`, exactly as the pages do."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from debrief.learning import actions, matching, queries
from debrief.learning.models import (
    BestPractice,
    MatchStatus,
    PracticeEvent,
    PracticeMatch,
    Proposal,
    Retro,
    RetroGroup,
    Vote,
)
from debrief.losses.models import Debrief, Lesson, LossReason, LossRecord
from debrief.org import access
from debrief.org.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIds,
    PageQuery,
    SearchQuery,
    TeamRef,
    UserRef,
    current_user,
    first_or_404,
    paginate,
    search,
)
from debrief.org.models import Team, User
from debrief.pipeline.api import CompetitorRef, CustomerRef, StageRef, _changes
from debrief.pipeline.models import Competitor, Deal, Product, Stage

# Analysts are not checked here: the API refuses every write of theirs with a 403 before a
# route runs (org.api).

# --- helpers ------------------------------------------------------------------------------


def _site(context: Any) -> str:
    request = context["request"]
    # Worked out once per request: checking the host for every item of a long page shows.
    base: str | None = getattr(request, "_debrief_site", None)
    if base is None:
        base = request.build_absolute_uri("/").rstrip("/")
        request._debrief_site = base
    return base


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _rekeyed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """An action's error with its field names swapped for the ones the client sent."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


# --- schemas: shared ----------------------------------------------------------------------


class ProductRef(Schema):
    id: int
    name: str


class ReasonRef(Schema):
    id: int
    name: str


class DealRef(Schema):
    id: int
    name: str
    customer: CustomerRef
    owner: UserRef
    team: TeamRef


class PracticeRef(Schema):
    id: int
    statement: str
    status: str = Field(description="draft, published or retired.")
    team: TeamRef


# --- schemas: retros ----------------------------------------------------------------------


class RetroGroupOut(Schema):
    number: int
    members: list[UserRef]

    @staticmethod
    def resolve_members(obj: RetroGroup) -> list[User]:
        return list(obj.members.all())


class ProposalOut(Schema):
    id: int
    retro: int = Field(alias="retro_id")
    group: int | None = Field(description="The number of the group that proposed it.")
    author: UserRef
    statement: str
    why: str
    status: str = Field(description="proposed, merged, accepted or rejected (not taken up).")
    merged_into: int | None = Field(
        alias="merged_into_id", description="Merged: the proposal it was merged into."
    )
    votes: int = Field(description="How many attendees voted for it.")
    voted: bool = Field(description="You voted for it.")
    practice: int | None = Field(description="Accepted: the id of the best practice it became.")
    created_at: dt.datetime

    @staticmethod
    def resolve_group(obj: Proposal) -> int | None:
        return obj.group.number if obj.group else None

    @staticmethod
    def resolve_votes(obj: Proposal) -> int:
        count = getattr(obj, "vote_count", None)
        return obj.votes.count() if count is None else int(count)

    @staticmethod
    def resolve_voted(obj: Proposal) -> bool:
        return bool(getattr(obj, "voted", False))

    @staticmethod
    def resolve_practice(obj: Proposal) -> int | None:
        return getattr(obj, "practice_pk", None)


class RetroOut(Schema):
    id: int
    title: str
    team: TeamRef
    facilitator: UserRef
    status: str = Field(description="proposing, voting or closed.")
    deals: list[DealRef] = Field(description="The lost deals the retro learns from.")
    attendees: list[UserRef]
    shuffles: int = Field(alias="shuffle_count", description="How often groups were reshuffled.")
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(description="The retro's page in Debrief.")

    @staticmethod
    def resolve_deals(obj: Retro) -> list[Any]:
        return list(obj.deals.all())

    @staticmethod
    def resolve_attendees(obj: Retro) -> list[User]:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_url(obj: Retro, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class RetroPage(Schema):
    count: int
    items: list[RetroOut]


class DebriefAnswerOut(Schema):
    number: int
    question: str
    answer: str


class RetroDebriefOut(Schema):
    id: int
    kind: str = Field(description="ordinary (rep-led) or post_mortem (manager-led).")
    status: str = Field(description="proposed, scheduled, held, declined or cancelled.")
    answers: list[DebriefAnswerOut]

    @staticmethod
    def resolve_answers(obj: Debrief) -> list[Any]:
        return list(obj.answers.all())


class RetroLessonOut(Schema):
    id: int
    source: str = Field(description="debrief or own_it.")
    statement: str
    do_differently: str


class RetroOwnItOut(Schema):
    id: int
    rep: UserRef
    could_have_done_differently: str
    will_do_next_time: str
    decisive_reason: ReasonRef | None


class RetroLossOut(Schema):
    id: int
    lost_on: dt.date
    outcome_type: str
    reasons: list[str] = Field(description="The loss's reasons, the main one first.")
    amount_at_loss: str
    note: str
    debrief: RetroDebriefOut | None
    lessons: list[RetroLessonOut]
    own_it_review: RetroOwnItOut | None = Field(
        description="The rep's own-it review: only for the rep, the rep's managers and admins."
    )


class RetroDealOut(DealRef):
    amount: str
    closed_on: dt.date | None
    loss: RetroLossOut | None = Field(description="The latest loss of the deal.")


class RetroDetailOut(RetroOut):
    deals: list[RetroDealOut] = Field(  # type: ignore[assignment]
        description="The lost deals, with what each group reads: the loss, the debrief's "
        "answers, the lessons, and the own-it review where you may see it."
    )
    groups: list[RetroGroupOut]
    proposals: list[ProposalOut]
    you_run_it: bool = Field(description="You may reshuffle, merge, start the vote, accept.")
    you_take_part: bool = Field(description="You may propose and vote.")

    @staticmethod
    def resolve_deals(obj: Retro) -> list[Any]:
        return obj.deal_details  # type: ignore[attr-defined]

    @staticmethod
    def resolve_groups(obj: Retro) -> list[RetroGroup]:
        return list(obj.groups.all())

    @staticmethod
    def resolve_proposals(obj: Retro) -> list[Proposal]:
        return obj.proposal_list  # type: ignore[attr-defined]


class RetroQuery(PageQuery):
    team: int | None = Field(None, description="Only this team's retros.")
    status: Literal["", "proposing", "voting", "closed"] = Field(
        "", description="Only retros in this state."
    )


class RetroIn(Schema):
    team: int | None = Field(None, description="The team's id; default: the one team you manage.")
    title: str
    deal_ids: list[int] = Field(description="The team's lost deals to learn from.")
    attendee_ids: list[int] = Field(
        description="Who takes part: members and managers of the team. They are split into "
        "groups of 3–4."
    )


class ProposalIn(Schema):
    statement: str = Field(description="The practice, in one sentence.")
    why: str = ""


class MergeIn(Schema):
    into: int = Field(description="The proposal of the same retro to keep.")


# --- schemas: practices -------------------------------------------------------------------


class MatchCounts(Schema):
    suggested: int = Field(description="Waiting for the rep: to apply.")
    applied: int
    not_relevant: int
    expired: int = Field(description="The deal closed before anyone acted.")


class PracticeOut(Schema):
    id: int
    team: TeamRef
    statement: str
    why: str
    owner: UserRef
    status: str = Field(description="draft, published or retired.")
    stages: list[StageRef] = Field(description="Applies in these stages (any, if none).")
    competitors: list[CompetitorRef] = Field(description="… against one of these competitors.")
    products: list[ProductRef] = Field(description="… to deals with one of these products.")
    segments: list[str] = Field(description="… to customers of one of these segments.")
    min_amount: str | None = Field(description="… to deals of at least this amount.")
    max_amount: str | None = Field(description="… and at most this amount.")
    reasons: list[ReasonRef] = Field(description="The loss reasons it answers.")
    keywords: str = Field(description="A deal's words must share at least one of these.")
    retro: int | None = Field(alias="retro_id", description="The retro it came from.")
    proposal: int | None = Field(alias="proposal_id", description="The proposal it came from.")
    published_at: dt.datetime | None
    version: int
    matches: MatchCounts
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(description="The practice's page in Debrief.")

    @staticmethod
    def resolve_stages(obj: BestPractice) -> list[Stage]:
        return list(obj.stages.all())

    @staticmethod
    def resolve_competitors(obj: BestPractice) -> list[Competitor]:
        return list(obj.competitors.all())

    @staticmethod
    def resolve_products(obj: BestPractice) -> list[Product]:
        return list(obj.products.all())

    @staticmethod
    def resolve_reasons(obj: BestPractice) -> list[LossReason]:
        return list(obj.reasons.all())

    @staticmethod
    def resolve_min_amount(obj: BestPractice) -> str | None:
        return _money(obj.min_amount)

    @staticmethod
    def resolve_max_amount(obj: BestPractice) -> str | None:
        return _money(obj.max_amount)

    @staticmethod
    def resolve_matches(obj: BestPractice) -> dict[str, int]:
        return {
            "suggested": getattr(obj, "n_suggested", 0),
            "applied": getattr(obj, "n_applied", 0),
            "not_relevant": getattr(obj, "n_not_relevant", 0),
            "expired": getattr(obj, "n_expired", 0),
        }

    @staticmethod
    def resolve_url(obj: BestPractice, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class PracticePage(Schema):
    count: int
    items: list[PracticeOut]


class SourceDebriefOut(Schema):
    id: int
    kind: str
    status: str
    deal: int = Field(alias="loss.deal_id")


class SourceLessonOut(Schema):
    id: int
    statement: str


class SourcesOut(Schema):
    deals: list[DealRef]
    debriefs: list[SourceDebriefOut]
    lessons: list[SourceLessonOut]


class PracticeEventOut(Schema):
    kind: str = Field(description="accepted, published, retired, applied, not_relevant…")
    actor: UserRef | None
    at: dt.datetime
    data: dict[str, Any]


class SideOut(Schema):
    won: int
    lost: int
    closed: int
    win_rate: float | None = Field(description="won / closed, 0–1; null with no closed deal.")
    interval: tuple[float, float] = Field(description="Wilson 95% interval of the win rate.")


class EffectOut(Schema):
    practice: PracticeRef | None = Field(description="Null for the overall figures.")
    applied: SideOut = Field(description="Closed deals where the matched practice was applied.")
    not_applied: SideOut = Field(description="… where it matched but was not applied.")
    too_few: bool = Field(description=f"Fewer than {queries.TOO_FEW} closed deals on a side.")
    verdict: str = Field(description="In plain words, including when it is too early to tell.")


class PracticeDetailOut(PracticeOut):
    sources: SourcesOut = Field(description="Where it came from: deals, debriefs, lessons.")
    events: list[PracticeEventOut] = Field(description="Its history, the latest first.")
    effect: EffectOut

    @staticmethod
    def resolve_sources(obj: BestPractice) -> dict[str, Any]:
        return {
            "deals": list(obj.source_deals.all()),
            "debriefs": list(obj.source_debriefs.all()),
            "lessons": list(obj.source_lessons.all()),
        }

    @staticmethod
    def resolve_events(obj: BestPractice) -> list[PracticeEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_effect(obj: BestPractice) -> dict[str, Any]:
        _, per = queries.effect(PracticeMatch.objects.filter(practice=obj))
        return _effect(per[0] if per else queries.Effect(obj, *_NOTHING))


class PracticeQuery(SearchQuery):
    team: int | None = Field(None, description="Only this team's practices.")
    status: Literal["", "draft", "published", "retired"] = Field(
        "", description="Only practices in this state."
    )


_CONDITIONS_DOC = "Ids; every condition given must hold, none given means any deal."


class PracticeIn(Schema):
    team: int | None = Field(None, description="The team's id; default: the one team you manage.")
    statement: str = Field(description="What to do, in one sentence.")
    why: str = ""
    stage_ids: list[int] = Field([], description=f"Open stages. {_CONDITIONS_DOC}")
    competitor_ids: list[int] = Field([], description="Competitors.")
    product_ids: list[int] = Field([], description="Products.")
    reason_ids: list[int] = Field([], description="The loss reasons it answers.")
    segments: list[str] = Field([], description="Customer segments.")
    min_amount: Decimal | None = Field(None, ge=0)
    max_amount: Decimal | None = Field(None, ge=0)
    keywords: str = Field("", description="Words a deal's notes and plans must share (any one).")
    source_deal_ids: list[int] = Field([], description="The deals it was learnt from.")
    source_debrief_ids: list[int] = Field([], description="The debriefs it was learnt from.")
    source_lesson_ids: list[int] = Field([], description="The lessons it was learnt from.")
    publish: bool = Field(
        False, description="Publish it at once: the team is told and it is matched to deals."
    )


class PracticePatch(Schema):
    """Only the fields sent change; a published practice is matched again."""

    statement: str | None = None
    why: str | None = None
    stage_ids: list[int] | None = None
    competitor_ids: list[int] | None = None
    product_ids: list[int] | None = None
    reason_ids: list[int] | None = None
    segments: list[str] | None = None
    min_amount: Decimal | None = Field(None, ge=0)
    max_amount: Decimal | None = Field(None, ge=0)
    keywords: str | None = None
    source_deal_ids: list[int] | None = None
    source_debrief_ids: list[int] | None = None
    source_lesson_ids: list[int] | None = None


class RetireIn(Schema):
    why: str = Field("", description="Why it is retired.")


# --- schemas: matches ---------------------------------------------------------------------


class MatchDeal(DealRef):
    stage: StageRef
    status: str = Field(description="open, won or lost.")
    amount: str

    @staticmethod
    def resolve_amount(obj: Deal) -> str:
        return f"{obj.amount:.2f}"


class MatchReasons(Schema):
    conditions: list[str] = Field(description="The conditions the deal meets.")
    keywords: list[str] = Field(description="The practice's keywords in the deal's words.")
    words: list[str] = Field(description="Other words the practice and the deal share.")
    score: float


class MatchOut(Schema):
    id: int
    practice: PracticeRef
    deal: MatchDeal
    status: str = Field(description="suggested, applied, not_relevant or expired.")
    score: float = Field(description="Higher: more conditions met and more words shared.")
    reasons: MatchReasons
    why: str = Field(description="Why it matched, in one sentence.")
    note: str = Field(description="What the rep did, or why it is not relevant.")
    decided_by: UserRef | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_reasons(obj: PracticeMatch) -> dict[str, Any]:
        reasons = obj.reasons or {}
        return {
            "conditions": reasons.get("conditions", []),
            "keywords": reasons.get("keywords", []),
            "words": reasons.get("words", []),
            "score": reasons.get("score", obj.score),
        }

    @staticmethod
    def resolve_why(obj: PracticeMatch) -> str:
        return matching.describe(obj.reasons or {})


class MatchPage(Schema):
    count: int
    items: list[MatchOut]


class MatchQuery(PageQuery):
    status: Literal["", "suggested", "applied", "not_relevant", "expired"] = Field(
        "", description="Only matches in this state."
    )
    deal: int | None = Field(None, description="Only this deal's matches.")
    practice: int | None = Field(None, description="Only this practice's matches.")
    owner: int | None = Field(None, description="Only matches on this user's deals.")
    mine: bool = Field(
        False,
        description="Your checklist: suggestions on your own open deals, strongest first.",
    )


class PracticeMatchQuery(PageQuery):
    status: Literal["", "suggested", "applied", "not_relevant", "expired"] = Field(
        "", description="Only matches in this state."
    )


class ApplyIn(Schema):
    note: str = Field(description="What you did.")


class DismissIn(Schema):
    why: str = Field(description="Why it does not apply to this deal.")


class AdoptionRow(Schema):
    id: int | None = Field(description="The rep's or the practice's id.")
    name: str | None
    total: int = Field(description="Matches, expired ones left out.")
    applied: int
    not_relevant: int
    to_do: int
    acted_on: float = Field(description="Share marked applied or not relevant, 0–1.")


class AdoptionOut(Schema):
    by: str
    count: int
    items: list[AdoptionRow]


class AdoptionQuery(Schema):
    by: Literal["rep", "practice"] = Field("rep", description="One row per rep or per practice.")
    team: int | None = Field(None, description="Only deals of this team.")


class EffectQuery(Schema):
    team: int | None = Field(None, description="Only this team's practices.")


class EffectsOut(Schema):
    overall: EffectOut
    practices: list[EffectOut]


# --- querysets ----------------------------------------------------------------------------

_PEOPLE = User.objects.only("id", "full_name", "email")
_DEALS = Deal.objects.select_related("customer", "owner", "team").order_by("name", "pk")


def _retros(user: User) -> QuerySet[Retro]:
    return (
        access.retros_visible_to(user)
        .select_related("team", "facilitator")
        .prefetch_related(
            Prefetch("deals", queryset=_DEALS),
            Prefetch("attendees", queryset=_PEOPLE.order_by("full_name", "pk")),
        )
    )


def _proposals(user: User, retro: Retro) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(retro=retro)
        .select_related("author", "group")
        .annotate(
            vote_count=Count("votes", distinct=True),
            voted=Exists(Vote.objects.filter(proposal=OuterRef("pk"), voter=user)),
            practice_pk=F("practice__pk"),
        )
    )


def _retro_detail(user: User, retro_id: int) -> Retro:
    """The retro with what its groups read; own-it reviews only where this user may see them."""
    retro = first_or_404(
        _retros(user)
        .filter(pk=retro_id)
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=RetroGroup.objects.prefetch_related(
                    Prefetch("members", queryset=_PEOPLE.order_by("full_name", "pk"))
                ),
            )
        )
    )
    deals = list(retro.deals.all())
    losses: dict[int, LossRecord] = {}
    for loss in (
        LossRecord.objects.filter(deal__in=deals)
        .select_related("outcome_type")
        .prefetch_related("reason_links__reason")
        .order_by("lost_on", "pk")
    ):
        losses[loss.deal_id] = loss  # the latest wins
    debriefs = {
        d.loss_id: d
        for d in Debrief.objects.filter(loss__in=losses.values()).prefetch_related("answers")
    }
    lessons: dict[int, list[Lesson]] = {}
    for lesson in Lesson.objects.filter(loss__in=losses.values()).order_by("created_at", "pk"):
        lessons.setdefault(lesson.loss_id, []).append(lesson)
    own_its = {
        review.loss_id: review
        for review in access.own_it_reviews_visible_to(user)
        .filter(loss__in=losses.values())
        .select_related("rep", "decisive_reason")
    }
    details = []
    for deal in deals:
        latest = losses.get(deal.pk)
        details.append(
            {
                "id": deal.pk,
                "name": deal.name,
                "customer": deal.customer,
                "owner": deal.owner,
                "team": deal.team,
                "amount": f"{deal.amount:.2f}",
                "closed_on": deal.closed_on,
                "loss": None
                if latest is None
                else {
                    "id": latest.pk,
                    "lost_on": latest.lost_on,
                    "outcome_type": latest.outcome_type.name,
                    "reasons": [link.reason.name for link in latest.reason_links.all()],
                    "amount_at_loss": f"{latest.amount_at_loss:.2f}",
                    "note": latest.note,
                    "debrief": debriefs.get(latest.pk),
                    "lessons": lessons.get(latest.pk, []),
                    "own_it_review": own_its.get(latest.pk),
                },
            }
        )
    retro.deal_details = details  # type: ignore[attr-defined]
    retro.proposal_list = list(_proposals(user, retro))  # type: ignore[attr-defined]
    retro.you_run_it = access.can_run_retro(user, retro)  # type: ignore[attr-defined]
    retro.you_take_part = access.can_take_part_in_retro(user, retro)  # type: ignore[attr-defined]
    return retro


def _proposal(user: User, retro: Retro, proposal_id: int) -> Proposal:
    return first_or_404(_proposals(user, retro).filter(pk=proposal_id))


def _practices(user: User) -> QuerySet[BestPractice]:
    def n(status: str) -> Count:
        return Count("matches", filter=Q(matches__status=status))

    return (
        access.practices_visible_to(user)
        .select_related("team", "owner")
        .prefetch_related("stages", "competitors", "products", "reasons")
        .annotate(
            n_suggested=n(MatchStatus.SUGGESTED),
            n_applied=n(MatchStatus.APPLIED),
            n_not_relevant=n(MatchStatus.NOT_RELEVANT),
            n_expired=n(MatchStatus.EXPIRED),
        )
    )


def _practice_detail(user: User, practice_id: int) -> BestPractice:
    return first_or_404(
        _practices(user)
        .filter(pk=practice_id)
        .prefetch_related(
            Prefetch("source_deals", queryset=_DEALS),
            Prefetch("source_debriefs", queryset=Debrief.objects.select_related("loss")),
            "source_lessons",
            Prefetch("events", queryset=PracticeEvent.objects.select_related("actor")),
        )
    )


def _matches(qs: QuerySet[PracticeMatch]) -> QuerySet[PracticeMatch]:
    return qs.select_related(
        "practice__team",
        "deal__customer",
        "deal__owner",
        "deal__team",
        "deal__stage",
        "decided_by",
    )


def _team_in(user: User, team_id: int | None, field: str = "team") -> Team | None:
    """The team a body names (422 naming `field` if there is none), or the one team the user
    manages when it names none."""
    ids = BodyIds()
    team = ids.one(access.teams_visible_to(user), team_id, field, "team")
    ids.check()
    if team is not None:
        return team
    managed = access.managed_team_ids(user)
    if len(managed) == 1:
        return Team.objects.get(pk=managed[0])
    if not managed and not access.is_admin(user):
        return None  # the caller refuses: only managers and admins get here with a team
    raise ValidationError({field: "Say which team."})


# --- effect -------------------------------------------------------------------------------

_NOTHING = (queries.Side(0, 0), queries.Side(0, 0))


def _side(side: queries.Side) -> dict[str, Any]:
    return {
        "won": side.won,
        "lost": side.lost,
        "closed": side.closed,
        "win_rate": side.win_rate,
        "interval": side.interval,
    }


def _effect(effect: queries.Effect) -> dict[str, Any]:
    return {
        "practice": effect.practice,
        "applied": _side(effect.applied),
        "not_applied": _side(effect.not_applied),
        "too_few": min(effect.applied.closed, effect.not_applied.closed) < queries.TOO_FEW,
        "verdict": effect.verdict,
    }


# --- retros -------------------------------------------------------------------------------

retros_router = Router(tags=["retros"])


@retros_router.get("", response={200: RetroPage, **LIST_ERRORS}, summary="List retros")
def list_retros(request: HttpRequest, filters: Query[RetroQuery]) -> dict[str, Any]:
    """The retros of your teams and those you were invited to, the latest first."""
    qs = _retros(current_user(request))
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters)


@retros_router.post("", response={201: RetroDetailOut, **WRITE_ERRORS}, summary="Open a retro")
def create_retro(request: HttpRequest, payload: RetroIn) -> Status[Any]:
    """A manager opens a retro on one or more of the team's lost deals and invites the team:
    the attendees are split into balanced groups of 3–4 at once (5 stay one group; fewer
    than 3 are one group)."""
    user = current_user(request)
    team = _team_in(user, payload.team)
    if team is None or not access.can_open_retro(user, team):
        raise PermissionDenied("Only the team's manager (or an admin) opens its retros.")
    ids = BodyIds()
    deals = ids.many(access.deals_visible_to(user), payload.deal_ids, "deal_ids", "deal")
    people = ids.many(access.users_visible_to(user), payload.attendee_ids, "attendee_ids", "user")
    ids.check()
    try:
        retro = actions.open_retro(
            user, team=team, title=payload.title, deals=deals, attendees=people
        )
    except ValidationError as exc:
        raise _rekeyed(exc, {"deals": "deal_ids", "attendees": "attendee_ids"}) from None
    return Status(201, _retro_detail(user, retro.pk))


@retros_router.get(
    "/{retro_id}", response={200: RetroDetailOut, **READ_ERRORS}, summary="Get a retro"
)
def get_retro(request: HttpRequest, retro_id: int) -> Retro:
    """With its groups and members, its deals (loss, debrief answers, lessons, and the own-it
    review where you may see it) and its proposals with their votes."""
    return _retro_detail(current_user(request), retro_id)


@retros_router.post(
    "/{retro_id}/reshuffle",
    response={200: RetroDetailOut, **WRITE_ERRORS},
    summary="Reshuffle a retro's groups",
)
def reshuffle_retro(request: HttpRequest, retro_id: int) -> Retro:
    """New balanced groups, as long as none has proposed anything yet."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id, run=True)
    actions.reshuffle_groups(retro, user)
    return _retro_detail(user, retro_id)


@retros_router.post(
    "/{retro_id}/proposals",
    response={201: ProposalOut, **WRITE_ERRORS},
    summary="Propose a best practice",
)
def create_proposal(request: HttpRequest, retro_id: int, payload: ProposalIn) -> Status[Any]:
    """An attendee proposes for their group, while the retro is in its proposing state."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id)
    if not access.can_take_part_in_retro(user, retro):
        raise PermissionDenied("Only the retro's attendees propose.")
    try:
        proposal = actions.propose(retro, user, statement=payload.statement, why=payload.why)
    except ValidationError as exc:
        raise _rekeyed(exc, {"author": "retro"}) from None
    return Status(201, _proposal(user, retro, proposal.pk))


@retros_router.post(
    "/{retro_id}/proposals/{proposal_id}/merge",
    response={200: ProposalOut, **WRITE_ERRORS},
    summary="Merge a duplicate proposal into another",
)
def merge_proposal(
    request: HttpRequest, retro_id: int, proposal_id: int, payload: MergeIn
) -> Proposal:
    """The proposal in the path is the duplicate; `into` is the one kept, which gains its
    votes (one per voter) and its why. Answers the kept proposal."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id, run=True)
    duplicate = _proposal(user, retro, proposal_id)
    ids = BodyIds()
    keep = ids.one(Proposal.objects.filter(retro=retro), payload.into, "into", "proposal")
    ids.check()
    assert keep is not None
    try:
        actions.merge_proposals(keep, duplicate, user)
    except ValidationError as exc:
        raise _rekeyed(exc, {"duplicate": "into"}) from None
    return _proposal(user, retro, keep.pk)


@retros_router.post(
    "/{retro_id}/voting", response={200: RetroDetailOut, **WRITE_ERRORS}, summary="Start voting"
)
def start_voting(request: HttpRequest, retro_id: int) -> Retro:
    """Proposals close and the attendees vote, once per proposal."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id, run=True)
    actions.start_voting(retro, user)
    return _retro_detail(user, retro_id)


@retros_router.post(
    "/{retro_id}/proposals/{proposal_id}/vote",
    response={200: ProposalOut, **WRITE_ERRORS},
    summary="Vote for a proposal",
)
def vote_for_proposal(request: HttpRequest, retro_id: int, proposal_id: int) -> Proposal:
    """One vote per attendee and proposal: a second one is refused (422) and the first
    stays."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id)
    if not access.can_take_part_in_retro(user, retro):
        raise PermissionDenied("Only the retro's attendees vote.")
    proposal = _proposal(user, retro, proposal_id)
    actions.vote(proposal, user)
    return _proposal(user, retro, proposal_id)


@retros_router.post(
    "/{retro_id}/proposals/{proposal_id}/accept",
    response={200: PracticeDetailOut, **WRITE_ERRORS},
    summary="Accept a proposal as a best practice",
)
def accept_proposal(request: HttpRequest, retro_id: int, proposal_id: int) -> BestPractice:
    """The team's manager accepts: the proposal becomes a draft best practice, linked to the
    retro's deals, their debriefs and lessons. Answers the draft: add its conditions with
    PATCH /practices/{id}, then publish it."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id, run=True)
    proposal = _proposal(user, retro, proposal_id)
    practice = actions.accept_proposal(proposal, user)
    return _practice_detail(user, practice.pk)


@retros_router.post(
    "/{retro_id}/close", response={200: RetroDetailOut, **WRITE_ERRORS}, summary="Close a retro"
)
def close_retro(request: HttpRequest, retro_id: int) -> Retro:
    """Proposals not accepted are marked not taken up."""
    user = current_user(request)
    retro = access.get_retro_for_user(user, retro_id, run=True)
    actions.close_retro(retro, user)
    return _retro_detail(user, retro_id)


# --- best practices -----------------------------------------------------------------------

practices_router = Router(tags=["best practices"])

_PRACTICE_FIELDS = {
    "stages": "stage_ids",
    "competitors": "competitor_ids",
    "products": "product_ids",
    "reasons": "reason_ids",
    "source_deals": "source_deal_ids",
    "source_debriefs": "source_debrief_ids",
    "source_lessons": "source_lesson_ids",
}


def _practice_input(
    user: User, fields: dict[str, Any], current: BestPractice | None = None
) -> actions.PracticeInput:
    """The action's input from a body's fields (ids swapped for records; every unknown id is
    a 422 naming its field), falling back to the practice's current values for a PATCH."""
    ids = BodyIds()

    def many(name: str, qs: QuerySet[Any], what: str) -> list[Any] | None:
        if fields.get(name) is None:
            return None
        return ids.many(qs, fields[name], name, what)

    stages = many("stage_ids", Stage.objects.all(), "stage")
    competitors = many("competitor_ids", Competitor.objects.all(), "competitor")
    products = many("product_ids", Product.objects.all(), "product")
    reasons = many("reason_ids", LossReason.objects.filter(is_active=True), "active reason")
    source_deals = many("source_deal_ids", access.deals_visible_to(user), "deal")
    source_debriefs = many("source_debrief_ids", access.debriefs_visible_to(user), "debrief")
    source_lessons = many("source_lesson_ids", access.lessons_visible_to(user), "lesson")
    ids.check()

    def kept(name: str, value: Any) -> Any:
        if name in fields:
            return value
        return getattr(current, name) if current is not None else None

    def kept_many(value: list[Any] | None, related: str) -> list[Any]:
        if value is not None:
            return value
        return list(getattr(current, related).all()) if current is not None else []

    return actions.PracticeInput(
        statement=kept("statement", fields.get("statement")) or "",
        why=kept("why", fields.get("why")) or "",
        stages=kept_many(stages, "stages"),
        competitors=kept_many(competitors, "competitors"),
        products=kept_many(products, "products"),
        reasons=kept_many(reasons, "reasons"),
        segments=kept("segments", fields.get("segments")) or [],
        min_amount=kept("min_amount", fields.get("min_amount")),
        max_amount=kept("max_amount", fields.get("max_amount")),
        keywords=kept("keywords", fields.get("keywords")) or "",
        source_deals=source_deals,
        source_lessons=source_lessons,
        source_debriefs=source_debriefs,
    )


@practices_router.get(
    "", response={200: PracticePage, **LIST_ERRORS}, summary="List best practices"
)
def list_practices(request: HttpRequest, filters: Query[PracticeQuery]) -> dict[str, Any]:
    """Your teams' playbooks, drafts included, the latest published first. Search `q`
    matches the statement, the why and the keywords."""
    qs = search(_practices(current_user(request)), filters.q, "statement", "why", "keywords")
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters)


@practices_router.post(
    "", response={201: PracticeDetailOut, **WRITE_ERRORS}, summary="Write a best practice"
)
def create_practice(request: HttpRequest, payload: PracticeIn) -> Status[Any]:
    """A draft, or with `publish` a published practice at once. Conditions name records by
    id; an unknown id is a 422 naming its field, and nothing is saved."""
    user = current_user(request)
    team = _team_in(user, payload.team)
    if team is None or not access.can_write_practices(user, team):
        raise PermissionDenied("Only the team's managers (and admins) write its practices.")
    fields = payload.model_dump(exclude={"team", "publish"})
    data = _practice_input(user, fields)
    try:
        with transaction.atomic():  # a practice that cannot be published is not kept either
            practice = actions.write_practice(user, data, team=team)
            if payload.publish:
                actions.publish_practice(practice, user)
    except ValidationError as exc:
        raise _rekeyed(exc, _PRACTICE_FIELDS) from None
    return Status(201, _practice_detail(user, practice.pk))


@practices_router.get(
    "/{practice_id}",
    response={200: PracticeDetailOut, **READ_ERRORS},
    summary="Get a best practice",
)
def get_practice(request: HttpRequest, practice_id: int) -> BestPractice:
    """With its conditions, where it came from, its history and whether it works."""
    return _practice_detail(current_user(request), practice_id)


@practices_router.patch(
    "/{practice_id}",
    response={200: PracticeDetailOut, **WRITE_ERRORS},
    summary="Change a best practice",
)
def update_practice(request: HttpRequest, practice_id: int, payload: PracticePatch) -> BestPractice:
    """Only the fields sent change. A published practice is matched again in the background;
    what reps already decided stays."""
    user = current_user(request)
    practice = access.get_practice_for_user(user, practice_id, edit=True)
    fields = _changes(payload, nullable={"min_amount", "max_amount"})
    data = _practice_input(user, fields, current=practice)
    try:
        actions.write_practice(user, data, team=practice.team, practice=practice)
    except ValidationError as exc:
        raise _rekeyed(exc, _PRACTICE_FIELDS) from None
    return _practice_detail(user, practice_id)


@practices_router.post(
    "/{practice_id}/publish",
    response={200: PracticeDetailOut, **WRITE_ERRORS},
    summary="Publish a best practice",
)
def publish_practice(request: HttpRequest, practice_id: int) -> BestPractice:
    """It joins the team's playbook, everyone in the team is told (in the app and by email),
    and it is matched against every open deal at once."""
    user = current_user(request)
    practice = access.get_practice_for_user(user, practice_id, edit=True)
    actions.publish_practice(practice, user)
    return _practice_detail(user, practice_id)


@practices_router.post(
    "/{practice_id}/retire",
    response={200: PracticeDetailOut, **WRITE_ERRORS},
    summary="Retire a best practice",
)
def retire_practice(request: HttpRequest, practice_id: int, payload: RetireIn) -> BestPractice:
    """It leaves the playbook; its open suggestions go, what reps already did stays."""
    user = current_user(request)
    practice = access.get_practice_for_user(user, practice_id, edit=True)
    actions.retire_practice(practice, user, why=payload.why)
    return _practice_detail(user, practice_id)


@practices_router.get(
    "/{practice_id}/matches",
    response={200: MatchPage, **READ_ERRORS},
    summary="List a best practice's matches",
)
def list_practice_matches(
    request: HttpRequest, practice_id: int, filters: Query[PracticeMatchQuery]
) -> dict[str, Any]:
    """The deals it applies to among those you may see, strongest first, each with why."""
    user = current_user(request)
    access.get_practice_for_user(user, practice_id)
    qs = _matches(access.matches_visible_to(user).filter(practice_id=practice_id))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters)


@practices_router.get(
    "/{practice_id}/effect",
    response={200: EffectOut, **READ_ERRORS},
    summary="Did a best practice work?",
)
def get_practice_effect(request: HttpRequest, practice_id: int) -> dict[str, Any]:
    """Of the closed deals it matched: the win rate where it was applied versus where it was
    not, with counts and Wilson 95% intervals, and a plain verdict (including 'too few to
    tell')."""
    practice = access.get_practice_for_user(current_user(request), practice_id)
    _, per = queries.effect(PracticeMatch.objects.filter(practice=practice))
    return _effect(per[0] if per else queries.Effect(practice, *_NOTHING))


# --- practice matches ---------------------------------------------------------------------

matches_router = Router(tags=["practice matches"])


@matches_router.get("", response={200: MatchPage, **LIST_ERRORS}, summary="List practice matches")
def list_matches(request: HttpRequest, filters: Query[MatchQuery]) -> dict[str, Any]:
    """'Apply practice P to deal D', on the deals you may see, strongest first. `mine=true`
    is your checklist: the suggestions on your own open deals."""
    user = current_user(request)
    qs = access.matches_visible_to(user)
    if filters.mine:
        qs = queries.checklist(qs.filter(deal__owner=user))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.deal is not None:
        qs = qs.filter(deal_id=filters.deal)
    if filters.practice is not None:
        qs = qs.filter(practice_id=filters.practice)
    if filters.owner is not None:
        qs = qs.filter(deal__owner_id=filters.owner)
    return paginate(_matches(qs), filters)


@matches_router.get(
    "/adoption", response={200: AdoptionOut, **LIST_ERRORS}, summary="Adoption of practices"
)
def get_adoption(request: HttpRequest, filters: Query[AdoptionQuery]) -> dict[str, Any]:
    """Per rep or per practice, over the deals you may see: matches, applied, not relevant,
    still to do, and the share acted on."""
    qs = access.matches_visible_to(current_user(request))
    if filters.team is not None:
        qs = qs.filter(deal__team_id=filters.team)
    rows = queries.adoption(qs, "deal__owner" if filters.by == "rep" else "practice")
    return {"by": filters.by, "count": len(rows), "items": rows}


@matches_router.get(
    "/effect", response={200: EffectsOut, **LIST_ERRORS}, summary="Did applying practices work?"
)
def get_effect(request: HttpRequest, filters: Query[EffectQuery]) -> dict[str, Any]:
    """For the practices you may see, overall and per practice: the win rate of closed deals
    where a matched practice was applied versus matched but not applied, with counts and
    Wilson 95% intervals; `too_few` says when the numbers cannot tell yet."""
    practices = access.practices_visible_to(current_user(request))
    if filters.team is not None:
        practices = practices.filter(team_id=filters.team)
    overall, per = queries.effect(PracticeMatch.objects.filter(practice__in=practices))
    return {"overall": _effect(overall), "practices": [_effect(e) for e in per]}


@matches_router.get(
    "/{match_id}", response={200: MatchOut, **READ_ERRORS}, summary="Get a practice match"
)
def get_match(request: HttpRequest, match_id: int) -> PracticeMatch:
    return first_or_404(
        _matches(access.matches_visible_to(current_user(request))).filter(pk=match_id)
    )


@matches_router.post(
    "/{match_id}/apply",
    response={200: MatchOut, **WRITE_ERRORS},
    summary="Mark a practice applied",
)
def apply_match(request: HttpRequest, match_id: int, payload: ApplyIn) -> PracticeMatch:
    """Say what you did; it goes on the deal's timeline. Only on an open deal."""
    user = current_user(request)
    match = access.get_match_for_user(user, match_id, edit=True)
    actions.apply_match(match, user, note=payload.note)
    return _matches(PracticeMatch.objects.filter(pk=match_id)).get()


@matches_router.post(
    "/{match_id}/dismiss",
    response={200: MatchOut, **WRITE_ERRORS},
    summary="Mark a practice not relevant",
)
def dismiss_match(request: HttpRequest, match_id: int, payload: DismissIn) -> PracticeMatch:
    """Say why it does not apply to this deal. Only on an open deal."""
    user = current_user(request)
    match = access.get_match_for_user(user, match_id, edit=True)
    try:
        actions.dismiss_match(match, user, why=payload.why)
    except ValidationError as exc:
        raise _rekeyed(exc, {"note": "why"}) from None
    return _matches(PracticeMatch.objects.filter(pk=match_id)).get()
