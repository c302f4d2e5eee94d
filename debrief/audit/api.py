"""The audit trail API, for admins: the same filters as the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from debrief.audit.models import AuditAction, AuditEntry
from debrief.audit.queries import AuditFilters
from debrief.audit.recorder import AUDITED
from debrief.org import access
from debrief.org.api import READ_ERRORS, PageQuery, current_user, paginate

audit_router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None = Field(description="The user who made the change, if one did.")
    actor_label: str = Field(description="Their email then, or how the change was made.")
    action: str = Field(description="created, changed or deleted.")
    model: str = Field(description="The kind of record, e.g. losses.LossRecord.")
    object_id: str
    object_repr: str
    before: dict[str, Any] = Field(description="The changed fields' values before.")
    after: dict[str, Any] = Field(description="The changed fields' values after.")


class AuditList(Schema):
    count: int
    items: list[AuditEntryOut]


class AuditQuery(PageQuery):
    model: str = Field("", description="e.g. losses.LossRecord")
    action: str = Field("", description="created, changed or deleted")
    actor: int | None = Field(None, description="A user id.")
    object_id: str = ""
    start: dt.date | None = Field(None, alias="from", description="On or after this day.")
    end: dt.date | None = Field(None, alias="to", description="On or before this day.")


@audit_router.get("", response={200: AuditList, **READ_ERRORS}, summary="The audit trail (admins)")
def list_audit_entries(request: HttpRequest, query: Query[AuditQuery]) -> dict[str, Any]:
    if not access.can_read_audit_trail(current_user(request)):
        raise Http404("No such page.")
    if query.model and query.model not in AUDITED:
        raise ValidationError({"model": f"Not an audited record type: {', '.join(AUDITED)}."})
    if query.action and query.action not in AuditAction.values:
        raise ValidationError({"action": "One of created, changed or deleted."})
    filters = AuditFilters(
        model=query.model,
        action=query.action,
        actor=query.actor,
        object_id=query.object_id,
        start=query.start,
        end=query.end,
    )
    return paginate(filters.apply(AuditEntry.objects.all()), query)
