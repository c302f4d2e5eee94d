"""Writing notifications: idempotent, so a task that runs twice tells nobody twice."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from debrief.notify.models import Notification
from debrief.org.models import User


@transaction.atomic
def notify(people: Iterable[User], *, kind: str, key: str, title: str, url: str = "") -> int:
    existing = set(
        Notification.objects.filter(key=key, user__in=list(people)).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Notification(user=p, kind=kind, key=key, title=title[:300], url=url)
        for p in people
        if p.pk not in existing
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
