"""The loss loop's REST API: losses (mark a deal lost, reopen it), the reason and outcome-type
lists, own-it reviews, customer debriefs with their answers and .ics invite, and lessons.
Reads go through `org.access`, writes through `losses.actions`, exactly as the pages do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from debrief.losses import actions
from debrief.losses.models import (
    DEBRIEF_OPENER,
    DEBRIEF_QUESTIONS,
    DEBRIEF_REMINDERS,
    Debrief,
    DebriefAnswer,
    DebriefConsent,
    DebriefKind,
    DebriefStatus,
    Lesson,
    LessonSource,
    LossReason,
    LossRecord,
    OutcomeType,
    OwnItReview,
)
from debrief.losses.queries import (
    LossFilters,
    blames_only_outside,
    debrief_invite_ics,
    loss_list,
    overdue_post_mortems,
)
from debrief.org import access
from debrief.org.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIds,
    ErrorOut,
    PageQuery,
    SearchQuery,
    TeamRef,
    UserRef,
    current_user,
    first_or_404,
    paginate,
    search,
)
from debrief.org.models import Organisation, User
from debrief.pipeline.api import CompetitorRef, ContactRef, CustomerRef, StageRef, _changes
from debrief.pipeline.models import Competitor, DealStatus, Stage

# --- refusals that name a field -----------------------------------------------------------


def _refusal(status: int, detail: str, field: str | None, message: str) -> Status[dict[str, Any]]:
    """A 403 or 404 in the API's one error shape that says which body field it is about:
    the record it names is not yours to see (404) or not yours to change (403)."""
    return Status(status, {"detail": detail, "errors": [{"field": field, "message": message}]})


def _not_found(field: str, what: str, pk: int) -> Status[dict[str, Any]]:
    return _refusal(404, "Not found.", field, f"No {what} with id {pk} that you can see.")


def _not_runner(
    debrief: Debrief, user: User, field: str | None = None
) -> Status[dict[str, Any]] | None:
    """Who may run a debrief (answers, reschedule, held, closed, its lessons): its leader, its
    participants and admins. Others who may see it get 403, naming `field` when the refusal
    is about one (answers are refused under `answered_by`, as the action names it)."""
    if access.can_run_debrief(user, debrief):
        return None
    return _refusal(
        403,
        "You may see this debrief but not run it.",
        field,
        "Only the debrief's leader and participants (and admins) record its answers, move "
        "it, close it and draw its lessons.",
    )


def _rekeyed(exc: ValidationError, names: Mapping[str, str]) -> ValidationError:
    """An action's error with its field names swapped for the ones the client sent."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Times without an offset are read as UTC, as the API's documentation says."""
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _site(context: Any) -> str:
    request = context["request"]
    # Worked out once per request: checking the host for every item of a long page shows.
    base: str | None = getattr(request, "_debrief_site", None)
    if base is None:
        base = request.build_absolute_uri("/").rstrip("/")
        request._debrief_site = base
    return base


def _major_threshold(context: Any) -> Any:
    request = context["request"]
    threshold = getattr(request, "_debrief_major_threshold", None)
    if threshold is None:
        threshold = Organisation.current().major_deal_threshold
        request._debrief_major_threshold = threshold
    return threshold


# --- schemas ------------------------------------------------------------------------------


class ReasonRef(Schema):
    id: int
    name: str


class OutcomeTypeRef(Schema):
    id: int
    name: str


class DealRef(Schema):
    id: int
    name: str
    customer: CustomerRef
    owner: UserRef
    team: TeamRef


class LossRef(Schema):
    id: int
    lost_on: dt.date
    deal: DealRef


class GivenReason(Schema):
    id: int
    name: str
    is_primary: bool = Field(description="The main reason of the loss.")


class DebriefRef(Schema):
    id: int
    kind: str = Field(description="ordinary (rep-led) or post_mortem (manager-led).")
    status: str = Field(description="proposed, scheduled, held, declined or cancelled.")
    when: dt.datetime = Field(description="The scheduled time, else the proposed one.")


class LossOut(Schema):
    id: int
    deal: DealRef
    recorded_by: UserRef
    lost_on: dt.date
    outcome_type: OutcomeTypeRef
    reasons: list[GivenReason] = Field(description="The reasons given, the primary one first.")
    primary_reason: ReasonRef | None
    competitors: list[CompetitorRef]
    stage_at_loss: StageRef
    amount_at_loss: str = Field(description='The deal\'s amount when lost, e.g. "25000.00".')
    currency: str
    note: str = Field(description="The rep's note.")
    debrief_consent: str = Field(description="yes, no or not_asked.")
    relationship_damaged: bool = Field(
        description="The rep judged that the loss damaged the relationship (it was strained)."
    )
    major: bool = Field(description="At or above the organisation's major-deal threshold.")
    reopened_at: dt.datetime | None = Field(
        description="Set when the deal was reopened: the loss no longer stands."
    )
    debrief: DebriefRef | None
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(description="The loss's page in Debrief.")

    @staticmethod
    def resolve_reasons(obj: LossRecord) -> list[dict[str, Any]]:
        return [
            {"id": link.reason_id, "name": link.reason.name, "is_primary": link.is_primary}
            for link in obj.reason_links.all()
        ]

    @staticmethod
    def resolve_amount_at_loss(obj: LossRecord) -> str:
        return f"{obj.amount_at_loss:.2f}"

    @staticmethod
    def resolve_major(obj: LossRecord, context: Any) -> bool:
        return bool(obj.amount_at_loss >= _major_threshold(context))

    @staticmethod
    def resolve_debrief(obj: LossRecord) -> Debrief | None:
        return getattr(obj, "debrief", None)

    @staticmethod
    def resolve_url(obj: LossRecord, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class LossPage(Schema):
    count: int
    items: list[LossOut]


class LossQuery(PageQuery):
    """The losses list's filters: the same as the Losses page's."""

    lost_from: dt.date | None = Field(None, description="Lost on or after this date.")
    lost_to: dt.date | None = Field(None, description="Lost on or before this date.")
    reason: int | None = Field(None, description="Reason id.")
    outcome_type: int | None = Field(None, description="Outcome type id.")
    competitor: int | None = Field(None, description="Competitor id.")
    debrief_status: str = Field(
        "",
        description="proposed, scheduled, held, declined, cancelled, or none (no debrief).",
    )
    major: bool = Field(False, description="Only losses at or above the major-deal threshold.")
    team: int | None = Field(None, description="Team id.")
    owner: int | None = Field(None, description="The deal owner's user id.")
    deal: int | None = Field(None, description="Only this deal's losses.")

    def filters(self) -> LossFilters:
        names = set(LossFilters.__dataclass_fields__)
        return LossFilters.from_params(
            {k: v for k, v in self.model_dump().items() if k in names and v is not None}
        )


class LossIn(Schema):
    deal: int = Field(description="Id of the open deal the customer said no to.")
    outcome_type: int = Field(description="Outcome type id: how the deal was lost.")
    reasons: list[int] = Field([], description="Reason ids; at least one, all active.")
    primary_reason: int | None = Field(
        None, description="The main reason's id, one of `reasons`; needed if more than one."
    )
    competitors: list[int] = Field([], description="Ids of the competitors who won.")
    note: str = Field("", description="The rep's note.")
    debrief_consent: str = Field(
        DebriefConsent.NOT_ASKED,
        description="Did the customer agree to a debrief call: yes, no or not_asked.",
    )
    relationship_damaged: bool = Field(
        True,
        description="Did the loss damage the relationship? If so (the default), the "
        "customer's relationship is marked strained, to be mended.",
    )
    lost_on: dt.date | None = Field(None, description="Default: today. Never in the future.")
    stage: int | None = Field(None, description="A lost stage's id; default: the first one.")


class ReopenIn(Schema):
    stage: int = Field(description="Id of the open stage to reopen the deal into.")


class ReasonOut(Schema):
    id: int
    name: str
    order: int
    is_active: bool = Field(description="Retired reasons stay on past losses only.")
    is_other: bool = Field(description="The catch-all 'Other', watched so it stays small.")
    outside_rep_control: bool = Field(
        description="Price, marketing, the customer: a cause the rep cannot change alone."
    )
    merged_into: ReasonRef | None = Field(description="The reason this one was merged into.")
    created_at: dt.datetime
    updated_at: dt.datetime


class ReasonPage(Schema):
    count: int
    items: list[ReasonOut]


class ReasonQuery(SearchQuery):
    is_active: bool | None = Field(None, description="true: the offered list; false: retired.")


class ReasonIn(Schema):
    name: str
    is_other: bool = False
    outside_rep_control: bool = False


class ReasonPatch(Schema):
    """Only the fields sent change. `is_active` false retires the reason, true restores it."""

    name: str | None = None
    is_other: bool | None = None
    outside_rep_control: bool | None = None
    is_active: bool | None = None


class MergeIn(Schema):
    into: int = Field(description="Id of the active reason that takes this one's losses.")


class OutcomeTypeOut(Schema):
    id: int
    name: str
    order: int
    is_active: bool = Field(description="Retired outcome types are not offered for new losses.")
    created_at: dt.datetime
    updated_at: dt.datetime


class OutcomeTypePage(Schema):
    count: int
    items: list[OutcomeTypeOut]


class OutcomeTypeIn(Schema):
    name: str


class OutcomeTypePatch(Schema):
    name: str | None = None
    is_active: bool | None = None


class OwnItReviewOut(Schema):
    id: int
    loss: LossRef
    rep: UserRef
    could_have_done_differently: str
    will_do_next_time: str
    decisive_reason: ReasonRef | None = Field(description="What the rep thinks decided it.")
    submitted_at: dt.datetime | None = Field(description="Null while the review is empty.")
    blames_only_outside: bool = Field(
        description="Every answer points outside the rep's control: the page asks, kindly, "
        "for the one thing they would do differently."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_blames_only_outside(obj: OwnItReview) -> bool:
        return blames_only_outside(
            obj.decisive_reason, [obj.could_have_done_differently, obj.will_do_next_time]
        )

    @staticmethod
    def resolve_url(obj: OwnItReview, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class OwnItReviewPage(Schema):
    count: int
    items: list[OwnItReviewOut]


class OwnItReviewQuery(PageQuery):
    loss: int | None = Field(None, description="Loss id.")
    rep: int | None = Field(None, description="The rep's user id.")
    submitted: bool | None = Field(None, description="true: written; false: still empty.")


class OwnItReviewPatch(Schema):
    """Only the rep writes it. Fields not sent keep their value; both answers are needed."""

    could_have_done_differently: str | None = None
    will_do_next_time: str | None = None
    decisive_reason: int | None = Field(None, description="Reason id, or null for none.")


class QuestionOut(Schema):
    number: int
    question: str


class AnswerOut(Schema):
    number: int = Field(description="1–5 for the guide's questions, 0 for an added one.")
    question: str
    answer: str
    answered_by: UserRef
    updated_at: dt.datetime


class DebriefOut(Schema):
    id: int
    loss: LossRef
    kind: str = Field(description="ordinary (rep-led) or post_mortem (manager-led).")
    status: str = Field(description="proposed, scheduled, held, declined or cancelled.")
    leader: UserRef
    participants: list[UserRef]
    customer_contact: ContactRef | None = Field(description="Whom at the customer to call.")
    proposed_for: dt.datetime
    scheduled_for: dt.datetime | None
    when: dt.datetime = Field(description="scheduled_for, else proposed_for.")
    duration_minutes: int
    held_at: dt.datetime | None
    overdue: bool = Field(
        description="A post-mortem neither held nor declined 21 days after the loss."
    )
    customer_decisive_reason: ReasonRef | None = Field(
        description="The reason the customer gave, from the same list as the rep's."
    )
    notes: str
    version: int = Field(description="Send it back with a change to detect concurrent edits.")
    invite: str = Field(description="The .ics calendar invite.")
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str = Field(description="The debrief guide in Debrief.")

    @staticmethod
    def resolve_participants(obj: Debrief) -> list[User]:
        return list(obj.participants.all())

    @staticmethod
    def resolve_overdue(obj: Debrief) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_invite(obj: Debrief, context: Any) -> str:
        return f"{_site(context)}{reverse('api:get_debrief_invite', args=[obj.pk])}"

    @staticmethod
    def resolve_url(obj: Debrief, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class DebriefDetailOut(DebriefOut):
    opener: str = Field(description="How the leader opens the call.")
    questions: list[QuestionOut] = Field(description="The guide's five questions.")
    reminders: list[str] = Field(description="What the leader keeps in mind during the call.")
    answers: list[AnswerOut] = Field(description="The customer's answers, by question.")

    @staticmethod
    def resolve_opener(obj: Debrief) -> str:
        return DEBRIEF_OPENER

    @staticmethod
    def resolve_questions(obj: Debrief) -> list[dict[str, Any]]:
        return [{"number": n, "question": q} for n, q in enumerate(DEBRIEF_QUESTIONS, start=1)]

    @staticmethod
    def resolve_reminders(obj: Debrief) -> list[str]:
        return list(DEBRIEF_REMINDERS)

    @staticmethod
    def resolve_answers(obj: Debrief) -> list[DebriefAnswer]:
        return list(obj.answers.all())


class DebriefPage(Schema):
    count: int
    items: list[DebriefOut]


class DebriefQuery(PageQuery):
    status: str = Field("", description="proposed, scheduled, held, declined or cancelled.")
    kind: str = Field("", description="ordinary or post_mortem.")
    overdue: bool | None = Field(
        None, description="true: only post-mortems overdue 21 days after the loss."
    )
    leader: int | None = Field(None, description="The leader's user id.")
    loss: int | None = Field(None, description="Loss id.")


class DebriefIn(Schema):
    deal: int = Field(
        description="Id of a lost deal whose loss has no debrief yet, e.g. because the "
        "customer agreed to a call after first saying no."
    )


class DebriefPatch(Schema):
    """Schedules (or moves) the call: the debrief becomes `scheduled` and the invite is sent
    again with the same UID and a higher SEQUENCE."""

    scheduled_for: dt.datetime | None = Field(
        None, description="When the call is; default: its current time. Never the loss day."
    )
    duration_minutes: int | None = Field(None, ge=5, le=480)
    customer_contact: int | None = Field(None, description="Contact id at the customer.")
    version: int | None = Field(None, description="The version you read, to detect clashes.")


class AnswerIn(Schema):
    number: int = Field(ge=0, le=len(DEBRIEF_QUESTIONS), description="1–5, or 0 for your own.")
    answer: str = ""
    question: str = Field("", description="The text of an added question (number 0).")


class AnswersIn(Schema):
    answers: list[AnswerIn] = []
    customer_decisive_reason: int | None = Field(
        None, description="Reason id: what the customer says decided it."
    )
    notes: str | None = None
    version: int | None = Field(None, description="The version you read, to detect clashes.")


class HeldIn(Schema):
    held_at: dt.datetime | None = Field(None, description="Default: now.")


class CloseIn(Schema):
    status: str = Field(description="declined (by the customer) or cancelled.")
    note: str = ""


class LessonOut(Schema):
    id: int
    loss: LossRef
    source: str = Field(description="debrief or own_it.")
    debrief: int | None = Field(alias="debrief_id", description="The debrief's id.")
    own_it_review: int | None = Field(alias="own_it_id", description="The own-it review's id.")
    team: TeamRef
    author: UserRef
    statement: str
    do_differently: str
    tag_stage: StageRef | None
    tag_competitor: CompetitorRef | None
    tag_segment: str
    tag_product: str
    tag_reason: ReasonRef | None
    created_at: dt.datetime
    updated_at: dt.datetime
    url: str

    @staticmethod
    def resolve_url(obj: Lesson, context: Any) -> str:
        return f"{_site(context)}{obj.get_absolute_url()}"


class LessonPage(Schema):
    count: int
    items: list[LessonOut]


class LessonQuery(PageQuery):
    loss: int | None = Field(None, description="Loss id.")
    source: str = Field("", description="debrief or own_it.")
    team: int | None = Field(None, description="Team id.")
    reason: int | None = Field(None, description="Reason tag id.")
    competitor: int | None = Field(None, description="Competitor tag id.")


class LessonIn(Schema):
    debrief: int | None = Field(None, description="Id of the held debrief it comes from…")
    own_it_review: int | None = Field(None, description="…or of the written own-it review.")
    statement: str = Field(description="The lesson in one sentence.")
    do_differently: str = ""
    tag_stage: int | None = Field(None, description="Stage id; default: the stage at loss.")
    tag_competitor: int | None = Field(None, description="Competitor id.")
    tag_segment: str = Field("", description="Default: the customer's segment.")
    tag_product: str = ""
    tag_reason: int | None = Field(None, description="Reason id; default: the primary reason.")


# --- querysets ----------------------------------------------------------------------------

_DEAL = ("deal__customer", "deal__owner", "deal__team")


def _losses(user: User) -> QuerySet[LossRecord]:
    return loss_list(access.losses_visible_to(user)).select_related("recorded_by")


def _own_it_reviews(user: User) -> QuerySet[OwnItReview]:
    return (
        access.own_it_reviews_visible_to(user)
        .select_related("rep", "decisive_reason", *(f"loss__{p}" for p in _DEAL))
        .order_by("-created_at", "-pk")
    )


def _debriefs(user: User) -> QuerySet[Debrief]:
    return (
        access.debriefs_visible_to(user)
        .select_related(
            "leader",
            "customer_contact",
            "customer_decisive_reason",
            *(f"loss__{p}" for p in _DEAL),
        )
        .prefetch_related("participants")
        .order_by("proposed_for", "pk")
    )


def _debrief(user: User, debrief_id: int) -> Debrief:
    answers = DebriefAnswer.objects.select_related("answered_by")
    return first_or_404(
        _debriefs(user).filter(pk=debrief_id).prefetch_related(Prefetch("answers", answers))
    )


def _lessons(user: User) -> QuerySet[Lesson]:
    return access.lessons_visible_to(user).select_related(
        "team",
        "author",
        "tag_stage",
        "tag_competitor",
        "tag_reason",
        *(f"loss__{p}" for p in _DEAL),
    )


def _require_list_manager(user: User) -> None:
    if not access.can_manage_loss_reasons(user):
        raise PermissionDenied("Only admins change the reason and outcome-type lists.")


# --- losses -------------------------------------------------------------------------------

losses_router = Router(tags=["losses"])


@losses_router.get("", response={200: LossPage, **LIST_ERRORS}, summary="List losses")
def list_losses(request: HttpRequest, filters: Query[LossQuery]) -> dict[str, Any]:
    """The losses of the deals you may see, newest first, filtered as on the Losses page.
    Reopened deals keep their losses, with `reopened_at` set."""
    qs = filters.filters().apply(_losses(current_user(request)))
    if filters.deal is not None:
        qs = qs.filter(deal_id=filters.deal)
    return paginate(qs, filters)


@losses_router.post("", response={201: LossOut, **WRITE_ERRORS}, summary="Mark a deal lost")
def create_loss(request: HttpRequest, payload: LossIn) -> Status[Any]:
    """Closes the open deal as lost with its loss record, asks the rep for their own-it
    review (reminded after a day while empty) and, when the customer agreed to a debrief or
    was not asked, proposes the debrief and emails its invite. The same action as the page."""
    user = current_user(request)
    deal = access.deals_visible_to(user).filter(pk=payload.deal).first()
    if deal is None:
        return _not_found("deal", "deal", payload.deal)
    if not access.can_edit_deal(user, deal):
        raise PermissionDenied("You can read this deal but not mark it lost.")
    ids = BodyIds()
    reasons = LossReason.objects.all()
    data = actions.LossInput(
        outcome_type=ids.one(
            OutcomeType.objects.all(), payload.outcome_type, "outcome_type", "outcome type"
        ),
        reasons=ids.many(reasons, payload.reasons, "reasons", "reason"),
        primary_reason=ids.one(reasons, payload.primary_reason, "primary_reason", "reason"),
        competitors=ids.many(
            Competitor.objects.all(), payload.competitors, "competitors", "competitor"
        ),
        note=payload.note,
        debrief_consent=payload.debrief_consent,
        relationship_damaged=payload.relationship_damaged,
        lost_on=payload.lost_on,
        stage=ids.one(Stage.objects.all(), payload.stage, "stage", "stage"),
    )
    ids.check()
    loss = actions.mark_deal_lost(deal, user, data)
    return Status(201, _losses(user).get(pk=loss.pk))


@losses_router.get("/{loss_id}", response={200: LossOut, **READ_ERRORS}, summary="Get a loss")
def get_loss(request: HttpRequest, loss_id: int) -> LossRecord:
    return first_or_404(_losses(current_user(request)).filter(pk=loss_id))


@losses_router.post(
    "/{loss_id}/reopen", response={200: LossOut, **WRITE_ERRORS}, summary="Reopen a lost deal"
)
def reopen_loss(request: HttpRequest, loss_id: int, payload: ReopenIn) -> LossRecord:
    """Moves the deal back into an open stage. The loss stays in history with `reopened_at`
    set; a debrief not yet held is cancelled."""
    user = current_user(request)
    loss = access.get_loss_for_user(user, loss_id, edit=True)
    ids = BodyIds()
    stage = ids.one(Stage.objects.all(), payload.stage, "stage", "stage")
    ids.check()
    assert stage is not None
    if loss.reopened_at is not None:
        raise ValidationError({"loss": "This loss no longer stands: the deal was reopened."})
    actions.reopen_deal(loss.deal, user, stage)
    return _losses(user).get(pk=loss.pk)


# --- reasons and outcome types ------------------------------------------------------------

reasons_router = Router(tags=["reasons and outcome types"])
outcome_types_router = Router(tags=["reasons and outcome types"])


def _reasons() -> QuerySet[LossReason]:
    return LossReason.objects.select_related("merged_into")


@reasons_router.get("", response={200: ReasonPage, **LIST_ERRORS}, summary="List loss reasons")
def list_reasons(request: HttpRequest, filters: Query[ReasonQuery]) -> dict[str, Any]:
    """The organisation's reason list in order, retired and merged reasons included."""
    qs = search(_reasons(), filters.q, "name")
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return paginate(qs, filters)


@reasons_router.post("", response={201: ReasonOut, **WRITE_ERRORS}, summary="Add a loss reason")
def create_reason(request: HttpRequest, payload: ReasonIn) -> Status[LossReason]:
    """Admins only."""
    user = current_user(request)
    _require_list_manager(user)
    reason = actions.add_reason(
        user,
        payload.name,
        is_other=payload.is_other,
        outside_rep_control=payload.outside_rep_control,
    )
    return Status(201, _reasons().get(pk=reason.pk))


@reasons_router.get(
    "/{reason_id}", response={200: ReasonOut, **READ_ERRORS}, summary="Get a loss reason"
)
def get_reason(request: HttpRequest, reason_id: int) -> LossReason:
    return first_or_404(_reasons().filter(pk=reason_id))


@reasons_router.patch(
    "/{reason_id}", response={200: ReasonOut, **WRITE_ERRORS}, summary="Change a loss reason"
)
def update_reason(request: HttpRequest, reason_id: int, payload: ReasonPatch) -> LossReason:
    """Admins only. Rename it, set its flags, retire it (`is_active` false: past losses keep
    it, new ones cannot use it) or restore it. All the changes sent, or none."""
    user = current_user(request)
    _require_list_manager(user)
    reason = first_or_404(_reasons().filter(pk=reason_id))
    changes = _changes(payload)
    with transaction.atomic():
        if "name" in changes:
            actions.rename_reason(reason, user, changes["name"])
        if "is_other" in changes or "outside_rep_control" in changes:
            actions.update_reason_flags(
                reason,
                user,
                is_other=changes.get("is_other", reason.is_other),
                outside_rep_control=changes.get("outside_rep_control", reason.outside_rep_control),
            )
        if "is_active" in changes:
            change = actions.restore_reason if changes["is_active"] else actions.retire_reason
            try:
                change(reason, user)
            except ValidationError as exc:
                raise _rekeyed(exc, {"reason": "is_active"}) from None
    return _reasons().get(pk=reason.pk)


@reasons_router.post(
    "/{reason_id}/merge",
    response={200: ReasonOut, **WRITE_ERRORS},
    summary="Merge a loss reason into another",
)
def merge_reason(request: HttpRequest, reason_id: int, payload: MergeIn) -> LossReason:
    """Admins only. Past losses, own-it reviews, debriefs and lessons that named this reason
    now name `into`; this one is retired, pointing at it, and the merge is recorded.
    Answers this reason, now merged."""
    user = current_user(request)
    _require_list_manager(user)
    source = first_or_404(_reasons().filter(pk=reason_id))
    ids = BodyIds()
    target = ids.one(LossReason.objects.all(), payload.into, "into", "reason")
    ids.check()
    assert target is not None
    try:
        actions.merge_reasons(source, target, user)
    except ValidationError as exc:
        raise _rekeyed(exc, {"target": "into"}) from None
    return _reasons().get(pk=source.pk)


@outcome_types_router.get(
    "", response={200: OutcomeTypePage, **LIST_ERRORS}, summary="List outcome types"
)
def list_outcome_types(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """How deals are lost (to a competitor, no decision…), in order, retired ones included."""
    return paginate(OutcomeType.objects.all(), page)


@outcome_types_router.post(
    "", response={201: OutcomeTypeOut, **WRITE_ERRORS}, summary="Add an outcome type"
)
def create_outcome_type(request: HttpRequest, payload: OutcomeTypeIn) -> Status[OutcomeType]:
    """Admins only."""
    user = current_user(request)
    _require_list_manager(user)
    return Status(201, actions.add_outcome_type(user, payload.name))


@outcome_types_router.get(
    "/{outcome_type_id}",
    response={200: OutcomeTypeOut, **READ_ERRORS},
    summary="Get an outcome type",
)
def get_outcome_type(request: HttpRequest, outcome_type_id: int) -> OutcomeType:
    return first_or_404(OutcomeType.objects.filter(pk=outcome_type_id))


@outcome_types_router.patch(
    "/{outcome_type_id}",
    response={200: OutcomeTypeOut, **WRITE_ERRORS},
    summary="Change an outcome type",
)
def update_outcome_type(
    request: HttpRequest, outcome_type_id: int, payload: OutcomeTypePatch
) -> OutcomeType:
    """Admins only. Rename it, or retire it (`is_active` false) or restore it."""
    user = current_user(request)
    _require_list_manager(user)
    outcome = first_or_404(OutcomeType.objects.filter(pk=outcome_type_id))
    return actions.update_outcome_type(outcome, user, **_changes(payload))


# --- own-it reviews -----------------------------------------------------------------------

own_it_router = Router(tags=["own-it reviews"])


@own_it_router.get(
    "", response={200: OwnItReviewPage, **LIST_ERRORS}, summary="List own-it reviews"
)
def list_own_it_reviews(request: HttpRequest, filters: Query[OwnItReviewQuery]) -> dict[str, Any]:
    """Your own reviews; a manager's also those of their reps; an admin's all of them. The
    rep's own words are not for analysts or other reps."""
    qs = _own_it_reviews(current_user(request))
    if filters.loss is not None:
        qs = qs.filter(loss_id=filters.loss)
    if filters.rep is not None:
        qs = qs.filter(rep_id=filters.rep)
    if filters.submitted is not None:
        qs = qs.filter(submitted_at__isnull=not filters.submitted)
    return paginate(qs, filters)


@own_it_router.get(
    "/{review_id}", response={200: OwnItReviewOut, **READ_ERRORS}, summary="Get an own-it review"
)
def get_own_it_review(request: HttpRequest, review_id: int) -> OwnItReview:
    return first_or_404(_own_it_reviews(current_user(request)).filter(pk=review_id))


@own_it_router.patch(
    "/{review_id}",
    response={200: OwnItReviewOut, **WRITE_ERRORS},
    summary="Write an own-it review",
)
def update_own_it_review(
    request: HttpRequest, review_id: int, payload: OwnItReviewPatch
) -> OwnItReview:
    """Only the rep who lost the deal writes it: what could I have done differently, what
    will I do next time, which reason was decisive."""
    user = current_user(request)
    review = first_or_404(_own_it_reviews(user).filter(pk=review_id))
    if review.rep_id != user.pk:
        raise PermissionDenied("Only the rep who lost the deal writes its own-it review.")
    changes = _changes(payload, nullable={"decisive_reason"})
    ids = BodyIds()
    decisive = review.decisive_reason
    if "decisive_reason" in changes:
        decisive = ids.one(
            LossReason.objects.all(), changes["decisive_reason"], "decisive_reason", "reason"
        )
    ids.check()
    actions.write_own_it_review(
        review,
        user,
        could_have_done_differently=changes.get(
            "could_have_done_differently", review.could_have_done_differently
        ),
        will_do_next_time=changes.get("will_do_next_time", review.will_do_next_time),
        decisive_reason=decisive,
    )
    return _own_it_reviews(user).get(pk=review.pk)


# --- debriefs -----------------------------------------------------------------------------

debriefs_router = Router(tags=["debriefs"])


@debriefs_router.get("", response={200: DebriefPage, **LIST_ERRORS}, summary="List debriefs")
def list_debriefs(request: HttpRequest, filters: Query[DebriefQuery]) -> dict[str, Any]:
    """The debriefs of the losses you may see, and those you lead or join, soonest first."""
    errors: dict[str, str] = {}
    if filters.status and filters.status not in DebriefStatus.values:
        errors["status"] = f"One of {', '.join(DebriefStatus.values)}."
    if filters.kind and filters.kind not in DebriefKind.values:
        errors["kind"] = f"One of {', '.join(DebriefKind.values)}."
    if errors:
        raise ValidationError(errors)
    qs = _debriefs(current_user(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.leader is not None:
        qs = qs.filter(leader_id=filters.leader)
    if filters.loss is not None:
        qs = qs.filter(loss_id=filters.loss)
    if filters.overdue is True:
        qs = overdue_post_mortems(qs).order_by("proposed_for", "pk")
    elif filters.overdue is False:
        qs = qs.exclude(pk__in=overdue_post_mortems(Debrief.objects.all()).values("pk"))
    return paginate(qs, filters)


@debriefs_router.post(
    "", response={201: DebriefDetailOut, **WRITE_ERRORS}, summary="Propose a debrief"
)
def create_debrief(request: HttpRequest, payload: DebriefIn) -> Status[Any]:
    """For a lost deal whose loss has no debrief (the customer said no at first, then
    agreed): proposes it as marking the deal lost would have, and emails the invite."""
    user = current_user(request)
    deal = access.deals_visible_to(user).filter(pk=payload.deal).first()
    if deal is None:
        return _not_found("deal", "deal", payload.deal)
    if not access.can_edit_deal(user, deal):
        raise PermissionDenied("You can read this deal but not change it.")
    standing = LossRecord.objects.filter(deal=deal, reopened_at__isnull=True).first()
    if deal.status != DealStatus.LOST or standing is None:
        raise ValidationError(
            {"deal": "This deal is not lost: only a lost deal gets a customer debrief."}
        )
    try:
        debrief = actions.schedule_debrief(standing, user)
    except ValidationError as exc:
        raise _rekeyed(exc, {"loss": "deal"}) from None
    return Status(201, _debrief(user, debrief.pk))


@debriefs_router.get(
    "/{debrief_id}", response={200: DebriefDetailOut, **READ_ERRORS}, summary="Get a debrief"
)
def get_debrief(request: HttpRequest, debrief_id: int) -> Debrief:
    """The debrief with its guide (opener, five questions, reminders) and the answers."""
    return _debrief(current_user(request), debrief_id)


@debriefs_router.patch(
    "/{debrief_id}",
    response={200: DebriefDetailOut, **WRITE_ERRORS},
    summary="Schedule or move a debrief",
)
def update_debrief(request: HttpRequest, debrief_id: int, payload: DebriefPatch) -> Status[Any]:
    """The leader, participants and admins. Never on the day of the loss."""
    user = current_user(request)
    debrief = _debrief(user, debrief_id)
    if (refused := _not_runner(debrief, user)) is not None:
        return refused
    changes = _changes(payload, nullable={"version"})
    ids = BodyIds()
    contact = ids.one(
        access.contacts_visible_to(user),
        changes.get("customer_contact"),
        "customer_contact",
        "contact",
    )
    ids.check()
    actions.reschedule_debrief(
        debrief,
        user,
        scheduled_for=_aware(changes.get("scheduled_for")) or debrief.when,
        duration_minutes=changes.get("duration_minutes", debrief.duration_minutes),
        customer_contact=contact,
        expected_version=changes.get("version"),
    )
    return Status(200, _debrief(user, debrief.pk))


@debriefs_router.post(
    "/{debrief_id}/answers",
    response={200: DebriefDetailOut, **WRITE_ERRORS},
    summary="Record a debrief's answers",
)
def record_debrief_answers(
    request: HttpRequest, debrief_id: int, payload: AnswersIn
) -> Status[Any]:
    """The customer's answers, one per question: 1–5 for the guide's, 0 with `question` for
    one the leader added. Answers sent again replace the earlier ones. Only the leader,
    the participants and admins."""
    user = current_user(request)
    debrief = _debrief(user, debrief_id)
    if (refused := _not_runner(debrief, user, "answered_by")) is not None:
        return refused
    ids = BodyIds()
    decisive = ids.one(
        LossReason.objects.all(),
        payload.customer_decisive_reason,
        "customer_decisive_reason",
        "reason",
    )
    ids.check()
    actions.record_debrief_answers(
        debrief,
        user,
        [actions.AnswerInput(a.number, a.answer, a.question) for a in payload.answers],
        customer_decisive_reason=decisive,
        notes=payload.notes,
        expected_version=payload.version,
    )
    return Status(200, _debrief(user, debrief.pk))


@debriefs_router.post(
    "/{debrief_id}/held",
    response={200: DebriefDetailOut, **WRITE_ERRORS},
    summary="Mark a debrief held",
)
def mark_debrief_held(request: HttpRequest, debrief_id: int, payload: HeldIn) -> Status[Any]:
    """The call took place. Lessons can then be drawn from it."""
    user = current_user(request)
    debrief = _debrief(user, debrief_id)
    if (refused := _not_runner(debrief, user)) is not None:
        return refused
    actions.mark_debrief_held(debrief, user, held_at=_aware(payload.held_at))
    return Status(200, _debrief(user, debrief.pk))


@debriefs_router.post(
    "/{debrief_id}/close",
    response={200: DebriefDetailOut, **WRITE_ERRORS},
    summary="Close a debrief as declined or cancelled",
)
def close_debrief(request: HttpRequest, debrief_id: int, payload: CloseIn) -> Status[Any]:
    """The customer declined the call, or we cancelled it."""
    user = current_user(request)
    debrief = _debrief(user, debrief_id)
    if (refused := _not_runner(debrief, user)) is not None:
        return refused
    actions.close_debrief(debrief, user, payload.status, payload.note)
    return Status(200, _debrief(user, debrief.pk))


@debriefs_router.get(
    "/{debrief_id}/invite.ics",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Download a debrief's calendar invite",
    openapi_extra={
        "responses": {
            "200": {
                "description": "An RFC 5545 calendar file (METHOD:REQUEST).",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_debrief_invite(request: HttpRequest, debrief_id: int) -> HttpResponse:
    """The invite as an .ics file: the leader as organizer, the participants and the
    customer contact as attendees, the opener and the five questions in the description.
    Its UID stays the same when the call moves; its SEQUENCE grows."""
    debrief = _debrief(current_user(request), debrief_id)
    response = HttpResponse(
        debrief_invite_ics(debrief), content_type="text/calendar; charset=utf-8; method=REQUEST"
    )
    response["Content-Disposition"] = f'attachment; filename="debrief-{debrief.pk}.ics"'
    return response


# --- lessons ------------------------------------------------------------------------------

lessons_router = Router(tags=["lessons"])


@lessons_router.get("", response={200: LessonPage, **LIST_ERRORS}, summary="List lessons")
def list_lessons(request: HttpRequest, filters: Query[LessonQuery]) -> dict[str, Any]:
    """The lessons of your teams, newest first."""
    if filters.source and filters.source not in LessonSource.values:
        raise ValidationError({"source": f"One of {', '.join(LessonSource.values)}."})
    qs = _lessons(current_user(request))
    if filters.loss is not None:
        qs = qs.filter(loss_id=filters.loss)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.team is not None:
        qs = qs.filter(team_id=filters.team)
    if filters.reason is not None:
        qs = qs.filter(tag_reason_id=filters.reason)
    if filters.competitor is not None:
        qs = qs.filter(tag_competitor_id=filters.competitor)
    return paginate(qs, filters)


@lessons_router.post("", response={201: LessonOut, **WRITE_ERRORS}, summary="Record a lesson")
def create_lesson(request: HttpRequest, payload: LessonIn) -> Status[Any]:
    """From a held debrief (its leader, participants or an admin) or a written own-it review
    (its rep, their managers or an admin): give exactly one of `debrief`, `own_it_review`."""
    user = current_user(request)
    debrief = own_it = None
    if payload.debrief is not None:
        debrief = access.debriefs_visible_to(user).filter(pk=payload.debrief).first()
        if debrief is None:
            return _not_found("debrief", "debrief", payload.debrief)
        if (refused := _not_runner(debrief, user, "debrief")) is not None:
            return refused
    if payload.own_it_review is not None:
        own_it = access.own_it_reviews_visible_to(user).filter(pk=payload.own_it_review).first()
        if own_it is None:
            return _not_found("own_it_review", "own-it review", payload.own_it_review)
    ids = BodyIds()
    data = actions.LessonInput(
        statement=payload.statement,
        do_differently=payload.do_differently,
        tag_stage=ids.one(Stage.objects.all(), payload.tag_stage, "tag_stage", "stage"),
        tag_competitor=ids.one(
            Competitor.objects.all(), payload.tag_competitor, "tag_competitor", "competitor"
        ),
        tag_segment=payload.tag_segment,
        tag_product=payload.tag_product,
        tag_reason=ids.one(LossReason.objects.all(), payload.tag_reason, "tag_reason", "reason"),
    )
    ids.check()
    try:
        lesson = actions.record_lesson(user, data, debrief=debrief, own_it=own_it)
    except ValidationError as exc:
        raise _rekeyed(exc, {"own_it": "own_it_review"}) from None
    return Status(201, _lessons(user).get(pk=lesson.pk))


@lessons_router.get(
    "/{lesson_id}", response={200: LessonOut, **READ_ERRORS}, summary="Get a lesson"
)
def get_lesson(request: HttpRequest, lesson_id: int) -> Lesson:
    return first_or_404(_lessons(current_user(request)).filter(pk=lesson_id))
