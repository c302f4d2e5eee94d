"""Records the audit trail from Django's model signals, so no write path (page, API, command
line, task, Django admin) can forget it. The actor is whoever the current request
authenticated as; outside a request, the command or task that made the change."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from debrief.audit.models import AuditAction, AuditEntry

# What the trail covers: losses, own-it reviews, debriefs, practices, settings (the
# organisation, stages, reasons, outcome types), users and teams.
AUDITED = (
    "losses.LossRecord",
    "losses.LossRecordReason",
    "losses.OwnItReview",
    "losses.Debrief",
    "losses.DebriefAnswer",
    "losses.LossReason",
    "losses.OutcomeType",
    "learning.BestPractice",
    "org.Organisation",
    "org.User",
    "org.Team",
    "pipeline.Stage",
)
# Never written into the trail; only the fact that they changed.
SECRET_FIELDS = {"password", "key_hash"}
# Bookkeeping that changes on every save and says nothing.
IGNORED_FIELDS = {"updated_at", "last_login", "version"}
SECRET = "(changed)"

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)
_label: ContextVar[str] = ContextVar("audit_label", default="system")
_paused: ContextVar[bool] = ContextVar("audit_paused", default=False)
_before: ContextVar[dict[tuple[str, Any], dict[str, Any]] | None] = ContextVar(
    "audit_before", default=None
)


class AuditMiddleware:
    """Makes the request known to the recorder, which asks it for its user only when a
    change is saved (an API token is checked after middleware runs)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextlib.contextmanager
def acting_as(user: Any, label: str = "") -> Iterator[None]:
    """For the command line and tasks: changes inside are made by `user` (or, with no user,
    by `label`, e.g. "command line: debrief restore")."""
    actor_token = _actor.set(user)
    label_token = _label.set(label or (user.email if user is not None else "system"))
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _label.reset(label_token)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """For `debrief restore`: putting back a backup changes nothing anyone did (the backup
    holds its own trail)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _who() -> tuple[Any, str]:
    request = _request.get()
    if request is not None:
        for user in (getattr(request, "auth", None), getattr(request, "user", None)):
            if user is not None and getattr(user, "is_authenticated", False):
                return user, user.email
        return None, "anonymous request"
    actor = _actor.get()
    return actor, _label.get()


def _value(field: models.Field[Any, Any], obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal) and isinstance(field, models.DecimalField):
        return f"{value:.{field.decimal_places}f}"  # 250000 and 250000.00 are the same amount
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own columns (foreign keys as ids), as JSON values; secrets included, for
    comparing only (`_masked` takes them out before anything is stored)."""
    return {
        field.attname: _value(field, obj)
        for field in obj._meta.concrete_fields
        if field.name not in IGNORED_FIELDS
    }


def _key(obj: models.Model) -> tuple[str, Any]:
    return (obj._meta.label, obj.pk)


def _on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool, **_: Any) -> None:
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is None:
        return
    store = _before.get()
    if store is None:
        store = {}
        _before.set(store)
    store[_key(instance)] = snapshot(old)


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    return {name: SECRET if name in SECRET_FIELDS else v for name, v in values.items()}


def _record(
    action: str, instance: models.Model, before: dict[str, Any], after: dict[str, Any]
) -> None:
    if _paused.get():
        return
    actor, label = _who()
    AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=label[:254],
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=_masked(before),
        after=_masked(after),
    )


def _on_post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **_: Any
) -> None:
    if raw:
        return
    now = snapshot(instance)
    store = _before.get() or {}
    old = store.pop(_key(instance), None)
    if created or old is None:
        _record(AuditAction.CREATED, instance, {}, now)
        return
    changed = [name for name in now if old.get(name) != now[name]]
    if changed:
        _record(
            AuditAction.CHANGED,
            instance,
            {name: old.get(name) for name in changed},
            {name: now[name] for name in changed},
        )


def _on_post_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    _record(AuditAction.DELETED, instance, snapshot(instance), {})


def _on_m2m_changed(
    sender: Any,
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **_: Any,
) -> None:
    """Team members and managers, a practice's conditions, a debrief's participants."""
    if reverse:
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "?"
    )
    if action == "pre_clear":
        current = sorted(getattr(instance, field).values_list("pk", flat=True))
        if current:
            _record(AuditAction.CHANGED, instance, {f"{field} removed": current}, {})
    elif action == "post_add" and pk_set:
        _record(AuditAction.CHANGED, instance, {}, {f"{field} added": sorted(pk_set)})
    elif action == "post_remove" and pk_set:
        _record(AuditAction.CHANGED, instance, {f"{field} removed": sorted(pk_set)}, {})


def connect() -> None:
    for label in AUDITED:
        model = apps.get_model(label)
        uid = f"audit-{label}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_on_post_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_on_post_delete, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_m2m_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
