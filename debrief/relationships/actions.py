"""Every write about a customer relationship: its status (each change an event row), the
recovery plan's touchpoints, a change of rep, and the re-engagement date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from debrief.org.models import Organisation, User
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import Customer, Deal, DealStatus
from debrief.relationships.models import (
    DAMAGED,
    Relationship,
    RelationshipEvent,
    RelationshipEventKind,
    RelationshipStatus,
    Touchpoint,
    TouchpointKind,
)


def relationship_of(customer: Customer) -> Relationship:
    """The customer's relationship, created intact the first time it is asked for."""
    relationship, _ = Relationship.objects.get_or_create(customer=customer)
    return relationship


@transaction.atomic
def change_status(
    customer: Customer,
    by: User | None,
    status: str,
    *,
    reason: str = "",
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Relationship:
    if status not in RelationshipStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    relationship = Relationship.objects.select_for_update().get(pk=relationship_of(customer).pk)
    if expected_version is not None and expected_version != relationship.version:
        raise ValidationError(
            {"version": "Someone else changed this relationship meanwhile; reload to see it."}
        )
    if relationship.status == status:
        return relationship
    at = at or timezone.now()
    old = relationship.status
    data: dict[str, Any] = {}
    if status in DAMAGED and old not in DAMAGED and old != RelationshipStatus.RECOVERING:
        relationship.damaged_since = at
    if status == RelationshipStatus.RESTORED and relationship.damaged_since is not None:
        # Time to mend: from when it was first damaged to when it is restored.
        data["days_to_mend"] = (at - relationship.damaged_since).days
        relationship.damaged_since = None
    if status == RelationshipStatus.INTACT:
        relationship.damaged_since = None
    relationship.status = status
    relationship.status_since = at
    relationship.version += 1
    relationship.save()
    RelationshipEvent.objects.create(
        relationship=relationship,
        kind=RelationshipEventKind.STATUS_CHANGED,
        from_status=old,
        to_status=status,
        reason=reason.strip()[:300],
        actor=by,
        at=at,
        data=data,
    )
    return relationship


def strain_after_damage(
    customer: Customer, by: User | None, reason: str, at: dt.datetime | None = None
) -> Relationship:
    """A loss or a bad meeting that damaged the relationship: an intact, restored or
    recovering relationship becomes strained; one already worse stays as it is."""
    relationship = relationship_of(customer)
    if relationship.status in (
        RelationshipStatus.INTACT,
        RelationshipStatus.RESTORED,
        RelationshipStatus.RECOVERING,
    ):
        return change_status(customer, by, RelationshipStatus.STRAINED, reason=reason, at=at)
    return relationship


@transaction.atomic
def add_touchpoint(
    customer: Customer,
    by: User,
    *,
    kind: str,
    description: str,
    due_on: dt.date,
    owner: User,
) -> Touchpoint:
    errors: dict[str, str] = {}
    if kind not in TouchpointKind.values:
        errors["kind"] = "Call, email, sharing something of value, or a meeting."
    if not description.strip():
        errors["description"] = "Say what the touchpoint is."
    if due_on < timezone.localdate():
        errors["due_on"] = "A touchpoint is planned from today on."
    if not owner.is_active:
        errors["owner"] = f"{owner} is no longer active."
    if errors:
        raise ValidationError(errors)
    relationship = relationship_of(customer)
    last = relationship.touchpoints.order_by("-order").values_list("order", flat=True).first()
    touchpoint = Touchpoint.objects.create(
        relationship=relationship,
        order=(last or 0) + 1,
        kind=kind,
        description=description.strip()[:300],
        due_on=due_on,
        owner=owner,
    )
    if relationship.status in DAMAGED:
        change_status(customer, by, RelationshipStatus.RECOVERING, reason="Recovery plan started")
    return touchpoint


@transaction.atomic
def complete_touchpoint(touchpoint: Touchpoint, by: User, *, outcome_note: str = "") -> Touchpoint:
    if touchpoint.done_at is not None:
        raise ValidationError({"touchpoint": "This touchpoint is already done."})
    touchpoint.done_at = timezone.now()
    touchpoint.outcome_note = outcome_note.strip()
    touchpoint.save(update_fields=["done_at", "outcome_note", "updated_at"])
    RelationshipEvent.objects.create(
        relationship=touchpoint.relationship,
        kind=RelationshipEventKind.TOUCHPOINT_DONE,
        actor=by,
        reason=str(touchpoint)[:300],
        data={"touchpoint_id": touchpoint.pk},
    )
    return touchpoint


@transaction.atomic
def reorder_touchpoints(customer: Customer, by: User, touchpoint_ids: list[int]) -> None:
    relationship = relationship_of(customer)
    touchpoints = {t.pk: t for t in relationship.touchpoints.select_for_update()}
    if set(touchpoint_ids) != set(touchpoints):
        raise ValidationError({"order": "Give every touchpoint of this plan exactly once."})
    for position, pk in enumerate(touchpoint_ids, start=1):
        touchpoints[pk].order = position
    Touchpoint.objects.bulk_update(touchpoints.values(), ["order"])


@transaction.atomic
def assign_different_rep(
    customer: Customer,
    by: User,
    new_rep: User,
    *,
    reason: str,
    move_open_deals: bool = False,
    allowed_deals: Iterable[Deal] | None = None,
) -> Relationship:
    """Give the account to another rep, saying why; optionally move its open deals too (only
    those the caller may change, passed in `allowed_deals`)."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Say why the rep changes: it is part of the recovery."
    if not new_rep.is_active or new_rep.is_analyst:
        errors["new_rep"] = f"{new_rep} cannot own accounts."
    elif customer.owner_id == new_rep.pk:
        errors["new_rep"] = f"{new_rep} already owns this account."
    if errors:
        raise ValidationError(errors)
    old_rep = customer.owner
    pipeline_actions.update_customer(customer, by, owner=new_rep)
    moved: list[int] = []
    if move_open_deals:
        for deal in allowed_deals if allowed_deals is not None else []:
            if deal.status == DealStatus.OPEN and deal.customer_id == customer.pk:
                pipeline_actions.update_deal(deal, by, owner=new_rep)
                moved.append(deal.pk)
    relationship = relationship_of(customer)
    RelationshipEvent.objects.create(
        relationship=relationship,
        kind=RelationshipEventKind.REP_CHANGED,
        actor=by,
        reason=reason.strip()[:300],
        data={
            "from": str(old_rep) if old_rep else "",
            "to": str(new_rep),
            "moved_deal_ids": moved,
        },
    )
    return relationship


def default_re_engagement_date(customer: Customer, today: dt.date | None = None) -> dt.date:
    """ "There is always next year": the customer's renewal or budget date if it is ahead,
    else the start of our next fiscal year."""
    today = today or timezone.localdate()
    if customer.renewal_on and customer.renewal_on > today:
        return customer.renewal_on
    start_month = Organisation.current().fiscal_year_start_month
    candidate = dt.date(today.year, start_month, 1)
    return candidate if candidate > today else dt.date(today.year + 1, start_month, 1)


@transaction.atomic
def set_re_engagement(
    customer: Customer,
    by: User,
    *,
    on: dt.date | None = None,
    note: str = "",
    owner: User | None = None,
) -> Relationship:
    """Set the date to come back, with a follow-up for the account owner on that day."""
    day = on or default_re_engagement_date(customer)
    if day <= timezone.localdate():
        raise ValidationError({"re_engage_on": "A re-engagement date is in the future."})
    relationship = Relationship.objects.select_for_update().get(pk=relationship_of(customer).pk)
    who = owner or customer.owner or by
    if relationship.re_engage_follow_up is not None:
        pipeline_actions.cancel_follow_up(relationship.re_engage_follow_up, by)
    follow_up = pipeline_actions.create_follow_up(
        by,
        owner=who,
        customer=customer,
        kind="re_engagement",
        title=f"Re-engage {customer}",
        detail=note.strip() or "There is always next year: reopen the conversation.",
        due_on=day,
    )
    relationship.re_engage_on = day
    relationship.re_engage_note = note.strip()[:300]
    relationship.re_engage_follow_up = follow_up
    relationship.version += 1
    relationship.save()
    RelationshipEvent.objects.create(
        relationship=relationship,
        kind=RelationshipEventKind.RE_ENGAGEMENT_SET,
        actor=by,
        reason=note.strip()[:300],
        data={"on": day.isoformat()},
    )
    return relationship
