"""The relationships' REST API: each customer's relationship with its history, recovery plan
(touchpoints), change of rep, re-engagement date and reminder, and time to mend. Reads go
through `org.access` and `relationships.queries`, writes through `relationships.actions`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from debrief.org import access
from debrief.org.api import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageQuery,
    UserRef,
    current_user,
    first_or_404,
    paginate,
)
from debrief.org.models import User
from debrief.pipeline.api import CustomerRef
from debrief.pipeline.models import Customer
from debrief.relationships import actions, queries
from debrief.relationships.models import Relationship, Touchpoint

HISTORY_LIMIT = 100

# --- schemas ------------------------------------------------------------------------------


class NextTouchpoint(Schema):
    due_on: dt.date
    description: str


class RelationshipOut(Schema):
    customer: CustomerRef
    status: str = Field(
        description="intact, strained, broken, recovering, restored or lost_for_good."
    )
    status_since: dt.datetime
    damaged_since: dt.datetime | None = Field(
        description="When it last went from fine to strained or broken; null once restored."
    )
    re_engage_on: dt.date | None
    next_touchpoint: NextTouchpoint | None = Field(
        description="The first open step of the recovery plan."
    )
    version: int

    @staticmethod
    def resolve_next_touchpoint(obj: Relationship) -> dict[str, Any] | None:
        due_on = getattr(obj, "next_touchpoint_on", None)
        if due_on is None:
            return None
        return {"due_on": due_on, "description": getattr(obj, "next_touchpoint_description", "")}


class RelationshipPage(Schema):
    count: int
    items: list[RelationshipOut]


class RelationshipQuery(PageQuery):
    status: str = Field(
        "",
        description="Only this status (intact, strained, broken, recovering, restored, "
        "lost_for_good); default: every status but intact.",
    )


class RelationshipEventOut(Schema):
    id: int
    kind: str = Field(
        description="status_changed, rep_changed, re_engagement_set or touchpoint_done."
    )
    description: str = Field(description="The event as a sentence.")
    from_status: str
    to_status: str
    reason: str = Field(description="Why, as the person said it.")
    actor: UserRef | None
    at: dt.datetime
    data: dict[str, Any] = Field(
        description="Details: days_to_mend on a change to restored; from, to and "
        "moved_deal_ids on a change of rep; on for a re-engagement date."
    )

    @staticmethod
    def resolve_description(obj: Any) -> str:
        return queries.describe_event(obj)


class TouchpointOut(Schema):
    id: int
    order: int = Field(description="Position in the recovery plan, from 1.")
    kind: str = Field(description="call, email, share_value or meeting.")
    description: str
    due_on: dt.date
    owner: UserRef
    done_at: dt.datetime | None
    outcome_note: str
    created_at: dt.datetime


class ReEngagementOut(Schema):
    on: dt.date | None = Field(description="The day to come back; null if none is set.")
    note: str
    follow_up: int | None = Field(description="Id of the follow-up it created.")
    owner: UserRef | None = Field(description="Whose follow-up it is.")
    done: bool = Field(description="The follow-up is done.")
    default_on: dt.date = Field(
        description="The date proposed when none is sent: the customer's renewal or budget "
        "date if ahead, else the next fiscal year's start."
    )
    default_why: str
    ics: str | None = Field(description="Where to download the reminder, once a date is set.")


class MendSpanOut(Schema):
    damaged_on: dt.date
    restored_on: dt.date
    days: int
    bucket: str = Field(description="within 3 months, 3–12 months or over a year.")


class RelationshipDetailOut(Schema):
    customer: CustomerRef
    account_owner: UserRef | None
    status: str = Field(
        description="intact, strained, broken, recovering, restored or lost_for_good."
    )
    status_since: dt.datetime
    damaged_since: dt.datetime | None
    version: int = Field(description="Send it with a status change to catch concurrent edits.")
    touchpoints: list[TouchpointOut] = Field(description="The recovery plan, in order.")
    events: list[RelationshipEventOut] = Field(
        description=f"The history, newest first (the latest {HISTORY_LIMIT})."
    )
    re_engagement: ReEngagementOut
    time_to_mend: list[MendSpanOut] = Field(
        description="Each span from strained or broken to restored, oldest first."
    )


class StatusIn(Schema):
    status: str = Field(
        description="intact, strained, broken, recovering, restored or lost_for_good."
    )
    reason: str = Field(description="Why: it goes on the history.")
    version: int | None = Field(
        None, description="The version you read; if someone changed it since, 422 and no change."
    )


class TouchpointIn(Schema):
    kind: str = Field(description="call, email, share_value or meeting.")
    description: str
    due_on: dt.date = Field(description="Today or later.")
    owner: int | None = Field(None, description="User id; default: you.")


class TouchpointPatch(Schema):
    done: bool = Field(description="true marks it done; a done touchpoint stays done.")
    outcome_note: str = Field("", description="How it landed.")


class RepIn(Schema):
    new_rep: int = Field(description="User id of the rep who takes the account.")
    reason: str = Field(description="Why: it is part of the recovery.")
    move_open_deals: bool = Field(
        False, description="Move the customer's open deals that you may change to the new rep."
    )


class ReEngagementIn(Schema):
    on: dt.date | None = Field(
        None, description="After today; default: the proposed date (see `default_on`)."
    )
    note: str = ""
    owner: int | None = Field(
        None, description="User id whose follow-up it is; default: the account owner."
    )


# --- helpers ------------------------------------------------------------------------------


def _customer(user: User, customer_id: int, *, change: bool = False) -> Customer:
    """404 if the user may not see the customer; 403 if they may not change its relationship."""
    customer = access.get_customer_for_user(user, customer_id)
    if change and not access.can_change_relationship(user, customer):
        raise PermissionDenied("You can read this relationship but not change it.")
    return customer


def _assignable(user: User, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = access.assignable_owners(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No user with id {pk} that you may assign."})
    return found


def _rekeyed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """An action's error with its field names swapped for the ones the client sent."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(f, f): e for f, e in error.error_dict.items()})


def _detail(customer: Customer) -> dict[str, Any]:
    relationship = queries.relationship_for_page(customer)
    saved = relationship.pk is not None
    follow_up = relationship.re_engage_follow_up
    default = queries.re_engagement_default(customer)
    return {
        "customer": customer,
        "account_owner": customer.owner,
        "status": relationship.status,
        "status_since": relationship.status_since,
        "damaged_since": relationship.damaged_since,
        "version": relationship.version,
        "touchpoints": list(relationship.touchpoints.select_related("owner")) if saved else [],
        "events": list(relationship.events.select_related("actor")[:HISTORY_LIMIT])
        if saved
        else [],
        "re_engagement": {
            "on": relationship.re_engage_on,
            "note": relationship.re_engage_note,
            "follow_up": follow_up.pk if follow_up else None,
            "owner": follow_up.owner if follow_up else None,
            "done": bool(follow_up and follow_up.done_at),
            "default_on": default.on,
            "default_why": default.why,
            "ics": f"/api/v1/relationships/{customer.pk}/re-engagement.ics"
            if relationship.re_engage_on
            else None,
        },
        "time_to_mend": queries.mend_spans(relationship),
    }


def _relationships(user: User) -> QuerySet[Relationship]:
    return queries.relationship_list(access.relationships_visible_to(user))


# --- routes -------------------------------------------------------------------------------

relationships_router = Router(tags=["relationships"])


@relationships_router.get(
    "", response={200: RelationshipPage, **LIST_ERRORS}, summary="List relationships"
)
def list_relationships(request: HttpRequest, filters: Query[RelationshipQuery]) -> dict[str, Any]:
    """The relationships of the customers you may see that are not intact (or of one
    `status`): strained and broken first, then recovering, lost for good and restored; the
    oldest damage first."""
    status = queries.parse_status(filters.status)
    qs = queries.filter_status(_relationships(current_user(request)), status)
    return paginate(qs, filters)


@relationships_router.get(
    "/{customer_id}",
    response={200: RelationshipDetailOut, **READ_ERRORS},
    summary="Get a customer's relationship",
)
def get_relationship(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    """The relationship with its history, recovery plan, re-engagement date and time to mend.
    A customer nothing has happened to is `intact`."""
    return _detail(_customer(current_user(request), customer_id))


@relationships_router.post(
    "/{customer_id}/status",
    response={200: RelationshipDetailOut, **WRITE_ERRORS},
    summary="Change a relationship's status",
)
def change_status(request: HttpRequest, customer_id: int, payload: StatusIn) -> dict[str, Any]:
    """Every change is an event with its reason. Restoring a strained or broken relationship
    records how many days it took to mend. The rep or manager who may change the customer
    may change its relationship."""
    user = current_user(request)
    customer = _customer(user, customer_id, change=True)
    if not payload.reason.strip():
        raise ValidationError({"reason": "Say why the status changes: it goes on the history."})
    current = queries.relationship_for_page(customer).status
    if payload.status == current:
        raise ValidationError({"status": f"The relationship is already {current}."})
    actions.change_status(
        customer, user, payload.status, reason=payload.reason, expected_version=payload.version
    )
    return _detail(customer)


@relationships_router.post(
    "/{customer_id}/touchpoints",
    response={201: TouchpointOut, **WRITE_ERRORS},
    summary="Add a touchpoint to the recovery plan",
)
def add_touchpoint(request: HttpRequest, customer_id: int, payload: TouchpointIn) -> Status[Any]:
    """Added last in the plan. A strained or broken relationship becomes `recovering`."""
    user = current_user(request)
    customer = _customer(user, customer_id, change=True)
    owner = _assignable(user, payload.owner, "owner") or user
    touchpoint = actions.add_touchpoint(
        customer,
        user,
        kind=payload.kind,
        description=payload.description,
        due_on=payload.due_on,
        owner=owner,
    )
    return Status(201, Touchpoint.objects.select_related("owner").get(pk=touchpoint.pk))


@relationships_router.patch(
    "/{customer_id}/touchpoints/{touchpoint_id}",
    response={200: TouchpointOut, **WRITE_ERRORS},
    summary="Mark a touchpoint done",
)
def complete_touchpoint(
    request: HttpRequest, customer_id: int, touchpoint_id: int, payload: TouchpointPatch
) -> Touchpoint:
    """Send `done: true` with how it landed; it goes on the relationship's history."""
    user = current_user(request)
    customer = _customer(user, customer_id, change=True)
    touchpoint = first_or_404(
        Touchpoint.objects.filter(pk=touchpoint_id, relationship__customer=customer).select_related(
            "relationship", "owner"
        )
    )
    if not payload.done:
        raise ValidationError({"done": "Send done: true; a done touchpoint stays done."})
    try:
        actions.complete_touchpoint(touchpoint, user, outcome_note=payload.outcome_note)
    except ValidationError as error:
        raise _rekeyed(error, {"touchpoint": "done"}) from error
    return Touchpoint.objects.select_related("owner").get(pk=touchpoint.pk)


@relationships_router.post(
    "/{customer_id}/rep",
    response={200: RelationshipDetailOut, **WRITE_ERRORS},
    summary="Assign a different rep",
)
def assign_rep(request: HttpRequest, customer_id: int, payload: RepIn) -> dict[str, Any]:
    """The account goes to `new_rep`, someone you may assign; with `move_open_deals`, so do
    its open deals that you may change. The reason goes on the history."""
    user = current_user(request)
    customer = _customer(user, customer_id, change=True)
    new_rep = _assignable(user, payload.new_rep, "new_rep")
    assert new_rep is not None
    actions.assign_different_rep(
        customer,
        user,
        new_rep,
        reason=payload.reason,
        move_open_deals=payload.move_open_deals,
        allowed_deals=access.deals_editable_by(user).filter(customer=customer),
    )
    return _detail(access.get_customer_for_user(user, customer_id))


@relationships_router.post(
    "/{customer_id}/re-engagement",
    response={201: RelationshipDetailOut, **WRITE_ERRORS},
    summary="Set the re-engagement date",
)
def set_re_engagement(
    request: HttpRequest, customer_id: int, payload: ReEngagementIn
) -> Status[dict[str, Any]]:
    """ "There is always next year": the day to come back, with a follow-up for the account
    owner (or `owner`) on that day; a date set before is replaced, with its follow-up."""
    user = current_user(request)
    customer = _customer(user, customer_id, change=True)
    owner = _assignable(user, payload.owner, "owner")
    try:
        actions.set_re_engagement(customer, user, on=payload.on, note=payload.note, owner=owner)
    except ValidationError as error:
        # The action names the model's field; the client sent `on`.
        raise _rekeyed(error, {"re_engage_on": "on"}) from error
    return Status(201, _detail(customer))


@relationships_router.get(
    "/{customer_id}/re-engagement.ics",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Download the re-engagement reminder",
    openapi_extra={
        "responses": {
            "200": {
                "description": "An all-day RFC 5545 calendar reminder on the re-engagement date.",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_re_engagement_ics(request: HttpRequest, customer_id: int) -> HttpResponse:
    """404 while no date is set."""
    customer = _customer(current_user(request), customer_id)
    body = queries.re_engagement_ics(queries.relationship_for_page(customer))
    if body is None:
        raise Http404("No re-engagement date is set for this customer.")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="re-engage-{customer.pk}.ics"'
    return response
