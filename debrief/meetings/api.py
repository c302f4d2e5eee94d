"""The meetings' REST API: meetings (with the plan as a one-page PDF and an .ics invite),
their one-page plans, their outcomes, and bad meetings with the maybe-or-no decision.
Reads go through `org.access`, writes through `meetings.actions`, exactly as the pages do."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from debrief.losses.actions import LossInput
from debrief.losses.models import DebriefConsent, LossReason, OutcomeType
from debrief.meetings import actions
from debrief.meetings.models import (
    CAUSE_OWNERS,
    BadMeeting,
    BadMeetingCause,
    BadMeetingConsequenceRow,
    Meeting,
    MeetingOutcome,
    MeetingPlan,
    OutcomeResult,
)
from debrief.meetings.queries import plan_ics, plan_pdf
from debrief.org import access
from debrief.org.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    BodyIds,
    ErrorOut,
    PageQuery,
    UserRef,
    current_user,
    first_or_404,
    paginate,
)
from debrief.org.models import Organisation, User
from debrief.pipeline.api import ContactRef, CustomerRef, _changes
from debrief.pipeline.models import Competitor, Contact

# --- helpers ------------------------------------------------------------------------------


def _refusal(status: int, field: str, message: str) -> Status[dict[str, Any]]:
    """A 403 or 404 in the API's one error shape, naming the body field it is about."""
    detail = "Not found." if status == 404 else "You may see this but not change it."
    return Status(status, {"detail": detail, "errors": [{"field": field, "message": message}]})


def _aware(moment: dt.datetime) -> dt.datetime:
    """Times without an offset are read as UTC, as the API's documentation says."""
    return moment.replace(tzinfo=dt.UTC) if timezone.is_naive(moment) else moment


def _organisation(context: Any) -> Organisation:
    """The organisation, read once per request: every plan's required parts depend on it."""
    request = context["request"]
    org: Organisation | None = getattr(request, "_debrief_organisation", None)
    if org is None:
        org = Organisation.current()
        request._debrief_organisation = org
    return org


# --- schemas ------------------------------------------------------------------------------


class MeetingDeal(Schema):
    id: int
    name: str
    customer: CustomerRef
    owner: UserRef


class MeetingRef(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    deal: MeetingDeal


class PlanStatus(Schema):
    completeness: int = Field(description="Percent of the required parts filled in.")
    is_sufficient: bool = Field(description="Every required part is filled in.")
    missing: list[str] = Field(description="The required parts still empty.")


class MeetingOut(Schema):
    id: int
    deal: MeetingDeal
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    mode: str = Field(description="call, video or on_site.")
    location: str = Field(description="Address or video link.")
    our_attendees: list[UserRef]
    customer_contacts: list[ContactRef]
    created_by: UserRef | None
    version: int = Field(description="Send it back with a change, to catch concurrent edits.")
    has_happened: bool
    plan: PlanStatus = Field(description="How far the one-page plan is, for this deal's size.")
    outcome: str | None = Field(
        description="advance, qualified_out or no_outcome once recorded; null before."
    )
    needs_outcome: bool = Field(description="It has happened and its outcome is not recorded.")
    is_bad: bool = Field(description="Flagged as a bad meeting.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_our_attendees(obj: Meeting) -> list[User]:
        return list(obj.our_attendees.all())

    @staticmethod
    def resolve_customer_contacts(obj: Meeting) -> list[Contact]:
        return list(obj.customer_contacts.all())

    @staticmethod
    def resolve_has_happened(obj: Meeting) -> bool:
        return obj.has_happened()

    @staticmethod
    def resolve_plan(obj: Meeting, context: Any) -> dict[str, Any]:
        org = _organisation(context)
        plan = obj.plan
        return {
            "completeness": plan.completeness(org),
            "is_sufficient": plan.is_sufficient(org),
            "missing": plan.missing(org),
        }

    @staticmethod
    def resolve_outcome(obj: Meeting) -> str | None:
        outcome = getattr(obj, "outcome", None)
        return outcome.result if outcome else None

    @staticmethod
    def resolve_needs_outcome(obj: Meeting) -> bool:
        return obj.has_happened() and getattr(obj, "outcome", None) is None

    @staticmethod
    def resolve_is_bad(obj: Meeting) -> bool:
        return getattr(obj, "bad", None) is not None


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]


class MeetingQuery(PageQuery):
    deal: int | None = Field(None, description="Only this deal's meetings.")
    when: Literal["", "upcoming", "past"] = Field(
        "", description="upcoming (soonest first) or past (latest first); default: all, by time."
    )
    needs_outcome: bool | None = Field(
        None, description="true: meetings that happened with no outcome recorded yet."
    )


class MeetingIn(Schema):
    deal: int = Field(description="Id of the open deal the meeting belongs to.")
    title: str
    starts_at: dt.datetime = Field(description="ISO 8601; without an offset, UTC.")
    duration_minutes: int = Field(45, ge=1, le=24 * 60)
    mode: str = Field("video", description="call, video or on_site.")
    location: str = Field("", description="Address or video link.")
    our_attendees: list[int] = Field([], description="User ids; default: you.")
    customer_contacts: list[int] = Field([], description="Contact ids, all of the deal's customer.")


class MeetingPatch(Schema):
    """Only the fields sent change."""

    title: str | None = None
    starts_at: dt.datetime | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    mode: str | None = None
    location: str | None = None
    our_attendees: list[int] | None = None
    customer_contacts: list[int] | None = None
    version: int | None = Field(
        None, description="The version you read; if someone changed it since, 422 and no change."
    )


class PlanOut(Schema):
    meeting: MeetingRef
    attendees_and_goals: str = Field(description="Who am I meeting, and what are their goals?")
    value_for_them: str = Field(description="What would make this meeting valuable for them?")
    purpose: str
    agenda: str = Field(description="Agenda and key topics.")
    insights_to_share: str = Field(description="Valuable insights I will share.")
    information_to_get: str = Field(description="Information I want to get.")
    questions_and_answers: str = Field(description="Predictable questions and my answers.")
    best_outcome: str = Field(description="The best possible outcome.")
    fallback_objective: str = Field(description="The fall-back objective if I miss it.")
    contract_purpose: str = Field(description="Upfront contract: agreed purpose.")
    contract_agenda: str = Field(description="Upfront contract: agreed agenda.")
    contract_their_wants: str = Field(description="Upfront contract: what they want.")
    contract_our_wants: str = Field(description="Upfront contract: what we want.")
    contract_best_outcome: str = Field(description="Upfront contract: the best outcome proposed.")
    contract_no_is_ok: bool = Field(description="'No' is an acceptable answer, and I will say so.")
    value_for_customer: str = Field(description="Balance of value: what the customer gains.")
    value_for_us: str = Field(description="Balance of value: what we gain.")
    author: UserRef | None
    version: int = Field(description="Send it back with a change, to catch concurrent edits.")
    required: list[str] = Field(
        description="The parts this plan needs: purpose, best outcome and fall-back below the "
        "organisation's full-plan threshold; every part at or above it."
    )
    missing: list[str] = Field(description="The required parts still empty.")
    completeness: int = Field(description="Percent of the required parts filled in.")
    is_sufficient: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_required(obj: MeetingPlan, context: Any) -> list[str]:
        return list(obj.required_fields(_organisation(context)))

    @staticmethod
    def resolve_missing(obj: MeetingPlan, context: Any) -> list[str]:
        return obj.missing(_organisation(context))

    @staticmethod
    def resolve_completeness(obj: MeetingPlan, context: Any) -> int:
        return obj.completeness(_organisation(context))

    @staticmethod
    def resolve_is_sufficient(obj: MeetingPlan, context: Any) -> bool:
        return obj.is_sufficient(_organisation(context))


class PlanIn(Schema):
    """The whole plan: parts left out are emptied."""

    attendees_and_goals: str = ""
    value_for_them: str = ""
    purpose: str = ""
    agenda: str = ""
    insights_to_share: str = ""
    information_to_get: str = ""
    questions_and_answers: str = ""
    best_outcome: str = ""
    fallback_objective: str = ""
    contract_purpose: str = ""
    contract_agenda: str = ""
    contract_their_wants: str = ""
    contract_our_wants: str = ""
    contract_best_outcome: str = ""
    contract_no_is_ok: bool = False
    value_for_customer: str = ""
    value_for_us: str = ""
    version: int | None = Field(
        None, description="The version you read; if someone changed it since, 422 and no change."
    )


class PlanPatch(Schema):
    """Only the parts sent change."""

    attendees_and_goals: str | None = None
    value_for_them: str | None = None
    purpose: str | None = None
    agenda: str | None = None
    insights_to_share: str | None = None
    information_to_get: str | None = None
    questions_and_answers: str | None = None
    best_outcome: str | None = None
    fallback_objective: str | None = None
    contract_purpose: str | None = None
    contract_agenda: str | None = None
    contract_their_wants: str | None = None
    contract_our_wants: str | None = None
    contract_best_outcome: str | None = None
    contract_no_is_ok: bool | None = None
    value_for_customer: str | None = None
    value_for_us: str | None = None
    version: int | None = Field(
        None, description="The version you read; if someone changed it since, 422 and no change."
    )


class OutcomeOut(Schema):
    meeting: MeetingRef
    result: str = Field(description="advance, qualified_out or no_outcome.")
    is_valuable: bool = Field(description="An advance or a qualified out: a valuable outcome.")
    commitment_what: str
    commitment_who: str
    commitment_by: dt.date | None
    discovery: str
    qualified_out_why: str
    note: str
    compared_with_plan: str = Field(description="best, fallback or neither.")
    valuable_for_customer: str = Field(description="The rep's view: yes, no or unsure.")
    valuable_for_customer_said: str = Field(
        description="The customer's, if they said: yes, no, unsure, or empty."
    )
    recorded_by: UserRef
    created_at: dt.datetime


class OutcomePage(Schema):
    count: int
    items: list[OutcomeOut]


class OutcomeQuery(PageQuery):
    deal: int | None = Field(None, description="Only this deal's meetings.")
    result: Literal["", "advance", "qualified_out", "no_outcome"] = Field(
        "", description="Only this result."
    )


class OutcomeIn(Schema):
    meeting: int = Field(description="Id of the meeting, which must have taken place.")
    result: str = Field(description="advance, qualified_out or no_outcome.")
    compared_with_plan: str = Field("", description="best, fallback or neither.")
    valuable_for_customer: str = Field("", description="Your view: yes, no or unsure.")
    valuable_for_customer_said: str = Field("", description="The customer's: yes, no, unsure.")
    commitment_what: str = Field("", description="An advance: what was committed to…")
    commitment_who: str = Field("", description="… by whom …")
    commitment_by: dt.date | None = Field(None, description="… by when (today or later).")
    discovery: str = Field("", description="An advance without a commitment: what we learnt.")
    qualified_out_why: str = Field("", description="Qualified out: why.")
    note: str = Field("", description="No outcome: an honest note.")
    outcome_type: int | None = Field(
        None, description="Qualified out closes the deal as lost: the loss's outcome type id."
    )
    reasons: list[int] = Field([], description="Qualified out: the loss's reason ids.")
    primary_reason: int | None = Field(None, description="Qualified out: the main reason's id.")
    competitors: list[int] = Field([], description="Qualified out: competitor ids, if any.")
    debrief_consent: str = Field(
        DebriefConsent.NOT_ASKED,
        description="Qualified out: did the customer agree to a debrief? yes, no or not_asked.",
    )
    relationship_damaged: bool = Field(
        True, description="Qualified out: did the loss damage the relationship (default yes)?"
    )


class RecoveryStepOut(Schema):
    id: int
    title: str
    due_on: dt.date
    owner: UserRef
    done_at: dt.datetime | None


class ConsequenceOut(Schema):
    consequence: str = Field(
        description="opportunity_lost, relationship_damaged, cycle_lengthened or future_lost."
    )
    recovery_step: RecoveryStepOut | None = Field(description="The follow-up it created.")


class BadMeetingOut(Schema):
    id: int
    meeting: MeetingRef
    causes: list[str] = Field(
        description="misalignment, quality, pricing, rep_fit, timing or other."
    )
    other_cause: str
    reaches: list[str] = Field(
        description="Who outside sales hears of it in the weekly digest: marketing, product."
    )
    consequences: list[ConsequenceOut]
    note: str
    flagged_by: UserRef
    flagged_at: dt.datetime
    decision: str = Field(description="pending, stay_in or qualify_out.")
    decision_due_on: dt.date = Field(description="Decide within 14 days: still a maybe, or no?")
    decision_is_due: bool
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def resolve_causes(obj: BadMeeting) -> list[str]:
        return [row.cause for row in obj.causes.all()]

    @staticmethod
    def resolve_reaches(obj: BadMeeting) -> list[str]:
        return sorted({CAUSE_OWNERS[r.cause] for r in obj.causes.all() if r.cause in CAUSE_OWNERS})

    @staticmethod
    def resolve_consequences(obj: BadMeeting) -> list[BadMeetingConsequenceRow]:
        return list(obj.consequences.all())

    @staticmethod
    def resolve_decision_is_due(obj: BadMeeting) -> bool:
        return obj.decision_is_due()


class BadMeetingPage(Schema):
    count: int
    items: list[BadMeetingOut]


class BadMeetingQuery(PageQuery):
    cause: str = Field("", description="Only bad meetings with this cause.")
    since: dt.date | None = Field(None, description="Only those flagged on or after this day.")
    deal: int | None = Field(None, description="Only this deal's.")


class BadMeetingIn(Schema):
    meeting: int = Field(description="Id of the meeting, which must have taken place.")
    causes: list[str] = Field(
        description="One or more of misalignment, quality, pricing, rep_fit, timing, other."
    )
    consequences: list[str] = Field(
        [],
        description="Any of opportunity_lost, relationship_damaged, cycle_lengthened, "
        "future_lost; each creates its recovery step.",
    )
    note: str = ""
    other_cause: str = Field("", description="Needed with the cause 'other'.")


class DecisionIn(Schema):
    decision: str = Field(description="stay_in (with the next step) or qualify_out.")
    note: str = ""
    next_step: str = Field("", description="Staying in: the concrete next step.")
    next_step_date: dt.date | None = Field(None, description="Staying in: its date, from today.")
    outcome_type: int | None = Field(None, description="Qualifying out: the loss's outcome type.")
    reasons: list[int] = Field([], description="Qualifying out: the loss's reason ids.")
    primary_reason: int | None = None
    competitors: list[int] = []
    debrief_consent: str = DebriefConsent.NOT_ASKED
    relationship_damaged: bool = Field(
        True, description="Qualifying out: did the loss damage the relationship (default yes)?"
    )


# --- querysets ----------------------------------------------------------------------------

_DEAL = ("deal__customer", "deal__owner")


def _meetings(user: User) -> QuerySet[Meeting]:
    return (
        access.meetings_visible_to(user)
        .select_related(*_DEAL, "created_by", "plan", "outcome", "bad")
        .prefetch_related(
            Prefetch("our_attendees", queryset=User.objects.order_by("full_name", "pk")),
            "customer_contacts",
        )
    )


def _meeting_for(user: User, meeting_id: int, *, edit: bool = False) -> Meeting:
    """404 if the user may not see it; 403 if they may see it but not change it."""
    access.get_meeting_for_user(user, meeting_id, edit=edit)
    return _meetings(user).get(pk=meeting_id)


def _plans(user: User) -> QuerySet[MeetingPlan]:
    return MeetingPlan.objects.filter(meeting__in=access.meetings_visible_to(user)).select_related(
        "author", *(f"meeting__{p}" for p in _DEAL)
    )


def _outcomes(user: User) -> QuerySet[MeetingOutcome]:
    return (
        MeetingOutcome.objects.filter(meeting__in=access.meetings_visible_to(user))
        .select_related("recorded_by", *(f"meeting__{p}" for p in _DEAL))
        .order_by("-meeting__starts_at", "-pk")
    )


def _bad_meetings(user: User) -> QuerySet[BadMeeting]:
    steps = BadMeetingConsequenceRow.objects.select_related("recovery_step__owner")
    return (
        access.bad_meetings_visible_to(user)
        .select_related("flagged_by", *(f"meeting__{p}" for p in _DEAL))
        .prefetch_related("causes", Prefetch("consequences", queryset=steps))
    )


def _loss_input(ids: BodyIds, payload: OutcomeIn | DecisionIn) -> LossInput:
    reasons = LossReason.objects.all()
    return LossInput(
        outcome_type=ids.one(
            OutcomeType.objects.all(), payload.outcome_type, "outcome_type", "outcome type"
        ),
        reasons=ids.many(reasons, payload.reasons, "reasons", "reason"),
        primary_reason=ids.one(reasons, payload.primary_reason, "primary_reason", "reason"),
        competitors=ids.many(
            Competitor.objects.all(), payload.competitors, "competitors", "competitor"
        ),
        debrief_consent=payload.debrief_consent,
        relationship_damaged=payload.relationship_damaged,
    )


def _meeting_in_body(
    user: User, meeting_id: int
) -> tuple[Meeting | None, Status[dict[str, Any]] | None]:
    """The meeting a body names, or the refusal naming the `meeting` field: 404 if the user
    may not see it, 403 if they may not change it."""
    meeting = access.meetings_visible_to(user).select_related("deal").filter(pk=meeting_id).first()
    if meeting is None:
        return None, _refusal(404, "meeting", f"No meeting with id {meeting_id} that you can see.")
    if not access.can_edit_meeting(user, meeting):
        return None, _refusal(403, "meeting", "You can read this meeting but not change it.")
    return meeting, None


# --- meetings -----------------------------------------------------------------------------

meetings_router = Router(tags=["meetings"])


@meetings_router.get("", response={200: MeetingPage, **LIST_ERRORS}, summary="List meetings")
def list_meetings(request: HttpRequest, filters: Query[MeetingQuery]) -> dict[str, Any]:
    """The meetings on the deals you may see, and those you attend. By time; `when=past`
    puts the latest first."""
    qs = _meetings(current_user(request))
    now = timezone.now()
    if filters.deal is not None:
        qs = qs.filter(deal_id=filters.deal)
    if filters.when == "upcoming":
        qs = qs.filter(starts_at__gt=now)
    elif filters.when == "past":
        qs = qs.filter(starts_at__lte=now).order_by("-starts_at", "-pk")
    if filters.needs_outcome is not None:
        needs = Q(starts_at__lte=now, outcome__isnull=True)
        qs = qs.filter(needs) if filters.needs_outcome else qs.exclude(needs)
    return paginate(qs, filters)


@meetings_router.post("", response={201: MeetingOut, **WRITE_ERRORS}, summary="Schedule a meeting")
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[Any]:
    """Schedules the meeting on an open deal with an empty one-page plan, and records it on the
    deal's timeline. Attendees default to you; contacts must work for the deal's customer."""
    user = current_user(request)
    deal = access.deals_visible_to(user).filter(pk=payload.deal).first()
    if deal is None:
        return _refusal(404, "deal", f"No deal with id {payload.deal} that you can see.")
    if not access.can_edit_deal(user, deal):
        return _refusal(403, "deal", "You can read this deal but not plan meetings on it.")
    ids = BodyIds()
    attendees = ids.many(
        access.users_visible_to(user), payload.our_attendees, "our_attendees", "user"
    )
    contacts = ids.many(
        access.contacts_visible_to(user), payload.customer_contacts, "customer_contacts", "contact"
    )
    ids.check()
    meeting = actions.schedule_meeting(
        deal,
        user,
        title=payload.title,
        starts_at=_aware(payload.starts_at),
        duration_minutes=payload.duration_minutes,
        mode=payload.mode,
        location=payload.location,
        our_attendees=attendees,
        customer_contacts=contacts,
    )
    return Status(201, _meetings(user).get(pk=meeting.pk))


@meetings_router.get(
    "/{meeting_id}", response={200: MeetingOut, **READ_ERRORS}, summary="Get a meeting"
)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return _meeting_for(current_user(request), meeting_id)


@meetings_router.patch(
    "/{meeting_id}", response={200: MeetingOut, **WRITE_ERRORS}, summary="Change a meeting"
)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Meeting:
    """Move it, change its people or its place. Send `version` to be told (422) if someone
    changed it since you read it."""
    user = current_user(request)
    meeting = _meeting_for(user, meeting_id, edit=True)
    changes = _changes(payload, nullable={"version"})
    ids = BodyIds()
    attendees = contacts = None
    if "our_attendees" in changes:
        attendees = ids.many(
            access.users_visible_to(user), changes.pop("our_attendees"), "our_attendees", "user"
        )
    if "customer_contacts" in changes:
        contacts = ids.many(
            access.contacts_visible_to(user),
            changes.pop("customer_contacts"),
            "customer_contacts",
            "contact",
        )
    ids.check()
    if "starts_at" in changes:
        changes["starts_at"] = _aware(changes["starts_at"])
    actions.update_meeting(
        meeting,
        user,
        our_attendees=attendees,
        customer_contacts=contacts,
        expected_version=changes.pop("version", None),
        **changes,
    )
    return _meetings(user).get(pk=meeting.pk)


_FILE_RESPONSES: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@meetings_router.get(
    "/{meeting_id}/plan.pdf",
    response=_FILE_RESPONSES,
    summary="Download a meeting's plan as a one-page PDF",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The plan on exactly one A4 page.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def get_meeting_plan_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(current_user(request), meeting_id)
    response = HttpResponse(plan_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-plan-{meeting.pk}.pdf"'
    return response


@meetings_router.get(
    "/{meeting_id}/invite.ics",
    response=_FILE_RESPONSES,
    summary="Download a meeting's calendar invite",
    openapi_extra={
        "responses": {
            "200": {
                "description": "An RFC 5545 calendar file carrying the purpose and agenda.",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_meeting_invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Its UID stays the same when the meeting moves; its SEQUENCE grows."""
    meeting = _meeting_for(current_user(request), meeting_id)
    response = HttpResponse(
        plan_ics(meeting), content_type="text/calendar; charset=utf-8; method=REQUEST"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- plans --------------------------------------------------------------------------------

plans_router = Router(tags=["meetings"])


def _plan(user: User, meeting_id: int) -> MeetingPlan:
    return first_or_404(_plans(user).filter(meeting_id=meeting_id))


@plans_router.get(
    "/{meeting_id}", response={200: PlanOut, **READ_ERRORS}, summary="Get a meeting's plan"
)
def get_plan(request: HttpRequest, meeting_id: int) -> MeetingPlan:
    """The one-page plan, with the parts this deal's size requires and those still missing."""
    return _plan(current_user(request), meeting_id)


@plans_router.put(
    "/{meeting_id}", response={200: PlanOut, **WRITE_ERRORS}, summary="Write a meeting's plan"
)
def put_plan(request: HttpRequest, meeting_id: int, payload: PlanIn) -> MeetingPlan:
    """Replaces the whole plan: parts left out are emptied."""
    user = current_user(request)
    meeting = access.get_meeting_for_user(user, meeting_id, edit=True)
    answers = payload.model_dump()
    version = answers.pop("version")
    actions.write_plan(meeting, user, expected_version=version, **answers)
    return _plan(user, meeting_id)


@plans_router.patch(
    "/{meeting_id}", response={200: PlanOut, **WRITE_ERRORS}, summary="Change parts of a plan"
)
def patch_plan(request: HttpRequest, meeting_id: int, payload: PlanPatch) -> MeetingPlan:
    user = current_user(request)
    meeting = access.get_meeting_for_user(user, meeting_id, edit=True)
    answers = _changes(payload, nullable={"version"})
    version = answers.pop("version", None)
    actions.write_plan(meeting, user, expected_version=version, **answers)
    return _plan(user, meeting_id)


# --- outcomes -----------------------------------------------------------------------------

outcomes_router = Router(tags=["meetings"])


@outcomes_router.get(
    "", response={200: OutcomePage, **LIST_ERRORS}, summary="List meeting outcomes"
)
def list_outcomes(request: HttpRequest, filters: Query[OutcomeQuery]) -> dict[str, Any]:
    """What the meetings you may see achieved, the latest meeting first."""
    qs = _outcomes(current_user(request))
    if filters.deal is not None:
        qs = qs.filter(meeting__deal_id=filters.deal)
    if filters.result:
        qs = qs.filter(result=filters.result)
    return paginate(qs, filters)


@outcomes_router.get(
    "/{meeting_id}", response={200: OutcomeOut, **READ_ERRORS}, summary="Get a meeting's outcome"
)
def get_outcome(request: HttpRequest, meeting_id: int) -> MeetingOutcome:
    return first_or_404(_outcomes(current_user(request)).filter(meeting_id=meeting_id))


@outcomes_router.post(
    "", response={201: OutcomeOut, **WRITE_ERRORS}, summary="Record a meeting's outcome"
)
def create_outcome(request: HttpRequest, payload: OutcomeIn) -> Status[Any]:
    """Once the meeting has taken place. An *advance* is a commitment (what, who, by when —
    which becomes the deal's next step) or a discovery; *qualified_out* closes the deal as
    lost with `outcome_type` and `reasons`, exactly as marking it lost does; *no_outcome*
    needs an honest `note`. All or nothing."""
    user = current_user(request)
    meeting, refused = _meeting_in_body(user, payload.meeting)
    if refused is not None:
        return refused
    assert meeting is not None
    loss = None
    if payload.result == OutcomeResult.QUALIFIED_OUT:
        ids = BodyIds()
        loss = _loss_input(ids, payload)
        ids.check()
    data = actions.OutcomeInput(
        result=payload.result,
        compared_with_plan=payload.compared_with_plan,
        valuable_for_customer=payload.valuable_for_customer,
        valuable_for_customer_said=payload.valuable_for_customer_said,
        commitment_what=payload.commitment_what,
        commitment_who=payload.commitment_who,
        commitment_by=payload.commitment_by,
        discovery=payload.discovery,
        qualified_out_why=payload.qualified_out_why,
        note=payload.note,
        loss=loss,
    )
    outcome = actions.record_outcome(meeting, user, data)
    return Status(201, _outcomes(user).get(pk=outcome.pk))


# --- bad meetings -------------------------------------------------------------------------

bad_meetings_router = Router(tags=["meetings"])


@bad_meetings_router.get(
    "", response={200: BadMeetingPage, **LIST_ERRORS}, summary="List bad meetings"
)
def list_bad_meetings(request: HttpRequest, filters: Query[BadMeetingQuery]) -> dict[str, Any]:
    """The bad meetings among those you may see, the latest flagged first."""
    qs = _bad_meetings(current_user(request))
    if filters.cause:
        if filters.cause not in BadMeetingCause.values:
            choices = ", ".join(BadMeetingCause.values)
            raise ValidationError({"cause": f"Unknown cause {filters.cause!r}: one of {choices}."})
        qs = qs.filter(causes__cause=filters.cause)
    if filters.since is not None:
        qs = qs.filter(flagged_at__date__gte=filters.since)
    if filters.deal is not None:
        qs = qs.filter(meeting__deal_id=filters.deal)
    return paginate(qs, filters)


@bad_meetings_router.get(
    "/{bad_meeting_id}", response={200: BadMeetingOut, **READ_ERRORS}, summary="Get a bad meeting"
)
def get_bad_meeting(request: HttpRequest, bad_meeting_id: int) -> BadMeeting:
    return first_or_404(_bad_meetings(current_user(request)).filter(pk=bad_meeting_id))


@bad_meetings_router.post(
    "", response={201: BadMeetingOut, **WRITE_ERRORS}, summary="Flag a bad meeting"
)
def create_bad_meeting(request: HttpRequest, payload: BadMeetingIn) -> Status[Any]:
    """Each consequence creates its recovery step as a follow-up for the deal's owner; a
    damaged relationship turns the customer's relationship strained; marketing and product
    causes reach their owners in the weekly digest. The rep then has 14 days to decide: still
    a maybe, or a prolonged no."""
    user = current_user(request)
    meeting, refused = _meeting_in_body(user, payload.meeting)
    if refused is not None:
        return refused
    assert meeting is not None
    bad = actions.flag_bad_meeting(
        meeting,
        user,
        causes=payload.causes,
        consequences=payload.consequences,
        note=payload.note,
        other_cause=payload.other_cause,
    )
    return Status(201, _bad_meetings(user).get(pk=bad.pk))


@bad_meetings_router.post(
    "/{bad_meeting_id}/decision",
    response={200: BadMeetingOut, **WRITE_ERRORS},
    summary="Decide after a bad meeting",
)
def decide(request: HttpRequest, bad_meeting_id: int, payload: DecisionIn) -> BadMeeting:
    """Still a real maybe: `stay_in` with the next step and its date (they become the deal's).
    A prolonged no: `qualify_out`, which closes the deal as lost with `outcome_type` and
    `reasons`."""
    user = current_user(request)
    bad = first_or_404(_bad_meetings(user).filter(pk=bad_meeting_id))
    if not access.can_edit_meeting(user, bad.meeting):
        raise PermissionDenied("You can read this bad meeting but not decide on it.")
    loss = None
    if payload.decision == "qualify_out":
        ids = BodyIds()
        loss = _loss_input(ids, payload)
        ids.check()
    actions.decide_after_bad_meeting(
        bad,
        user,
        payload.decision,
        note=payload.note,
        next_step=payload.next_step,
        next_step_date=payload.next_step_date,
        loss=loss,
    )
    return _bad_meetings(user).get(pk=bad.pk)
