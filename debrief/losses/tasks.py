"""Background work of the loss loop: invites, reminders. Each task re-reads the state it acts
on, so running it twice, or after things changed, does no harm."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

from django.tasks import task
from django.utils import timezone

from debrief.notify.email import send_templated_email

if TYPE_CHECKING:
    from debrief.org.models import User

OWN_IT_REMINDERS = 5  # Daily nudges while the review is empty; after that, the manager sees it.
ON_THE_DAY_HOUR = 7  # The on-the-day reminder reaches the leader at 07:00 their time.


def user_zone(user: User) -> zoneinfo.ZoneInfo:
    """The user's time zone; UTC when it is unset or unknown to this machine."""
    try:
        return zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def debrief_reminder_times(when: dt.datetime, zone: zoneinfo.ZoneInfo) -> list[dt.datetime]:
    """When the leader is reminded of a call at `when`: the day before at the same time, and
    on the day at 07:00 in the leader's time zone (an hour before a call that starts earlier
    than 08:00, so the reminder never comes after the call)."""
    local = when.astimezone(zone)
    on_the_day = local.replace(hour=ON_THE_DAY_HOUR, minute=0, second=0, microsecond=0)
    on_the_day = min(on_the_day, local - dt.timedelta(hours=1))
    return [when - dt.timedelta(days=1), on_the_day.astimezone(dt.UTC)]


@task()
def remind_own_it_review(review_id: int, attempt: int = 1) -> bool:
    """Remind the rep, a day after the loss and then daily, while their own-it review is still
    empty: at most OWN_IT_REMINDERS times, and never once it is written."""
    from debrief.losses.models import OwnItReview

    review = (
        OwnItReview.objects.select_related("rep", "loss__deal__customer")
        .filter(pk=review_id)
        .first()
    )
    if review is None or review.submitted_at is not None or not review.rep.is_active:
        return False
    send_templated_email(
        to=[review.rep.email],
        subject=f"Your own-it review of {review.loss.deal.name}",
        template="losses/email/own_it_reminder.txt",
        context={"review": review},
        time_zone=user_zone(review.rep),
    )
    if attempt < OWN_IT_REMINDERS:
        remind_own_it_review.using(run_after=timezone.now() + dt.timedelta(days=1)).enqueue(
            review_id, attempt + 1
        )
    return True


@task()
def send_debrief_invite(debrief_id: int, queue_reminders: bool = True) -> bool:
    """Email the debrief's invite (.ics) to its leader and participants, and queue the
    leader's reminders for the day before and the day itself. Sent again, with the same UID
    and a higher SEQUENCE, whenever the call is rescheduled; the reminders are queued again
    only when it moved (`queue_reminders`)."""
    from debrief.losses.models import (
        DEBRIEF_OPENER,
        DEBRIEF_QUESTIONS,
        DEBRIEF_REMINDERS,
        Debrief,
    )
    from debrief.losses.queries import debrief_invite_ics

    debrief = (
        Debrief.objects.select_related("leader", "customer_contact", "loss__deal__customer")
        .prefetch_related("participants")
        .filter(pk=debrief_id)
        .first()
    )
    if debrief is None or not debrief.is_open:
        return False
    people = [debrief.leader, *debrief.participants.all()]
    to = sorted({person.email for person in people if person.is_active and person.email})
    if not to:
        return False
    zone = user_zone(debrief.leader)
    send_templated_email(
        to=to,
        subject=f"{debrief.get_kind_display()}: {debrief.loss.deal.name}",
        template="losses/email/debrief_invite.txt",
        context={
            "debrief": debrief,
            "others": [p.full_name for p in people[1:] if p.pk != debrief.leader_id],
            "opener": DEBRIEF_OPENER,
            "questions": DEBRIEF_QUESTIONS,
            "reminders": DEBRIEF_REMINDERS,
        },
        attachments=[("debrief.ics", debrief_invite_ics(debrief), "text/calendar; method=REQUEST")],
        time_zone=zone,
    )
    when = debrief.when
    if not queue_reminders:
        return True
    for run_at in debrief_reminder_times(when, zone):
        if run_at > timezone.now():
            remind_debrief_leader.using(run_after=run_at).enqueue(debrief.pk, when.isoformat())
    return True


@task()
def send_debrief_cancellation(debrief_id: int) -> bool:
    """The debrief ended without being held (declined, cancelled, or the deal reopened): send
    the same people a cancellation with the invite's UID, so it leaves their calendars."""
    from debrief.losses.models import Debrief
    from debrief.losses.queries import debrief_invite_ics

    debrief = (
        Debrief.objects.select_related("leader", "customer_contact", "loss__deal__customer")
        .prefetch_related("participants")
        .filter(pk=debrief_id)
        .first()
    )
    if debrief is None or debrief.is_open or debrief.held_at is not None:
        return False
    people = [debrief.leader, *debrief.participants.all()]
    to = sorted({person.email for person in people if person.is_active and person.email})
    if not to:
        return False
    send_templated_email(
        to=to,
        subject=f"Cancelled: {debrief.get_kind_display().lower()} for {debrief.loss.deal.name}",
        template="losses/email/debrief_cancelled.txt",
        context={"debrief": debrief},
        attachments=[
            (
                "debrief.ics",
                debrief_invite_ics(debrief, cancelled=True),
                "text/calendar; method=CANCEL",
            )
        ],
        time_zone=user_zone(debrief.leader),
    )
    return True


@task()
def remind_debrief_leader(debrief_id: int, when_iso: str) -> bool:
    """The reminder the day before and on the day. It does nothing when the debrief has
    moved since it was queued (the newer invite queued its own reminders), or was held,
    declined or cancelled."""
    from debrief.losses.models import Debrief

    debrief = (
        Debrief.objects.select_related("leader", "loss__deal__customer")
        .filter(pk=debrief_id)
        .first()
    )
    if debrief is None or not debrief.is_open or not debrief.leader.is_active:
        return False
    if debrief.when != dt.datetime.fromisoformat(when_iso):
        return False
    send_templated_email(
        to=[debrief.leader.email],
        subject=f"Reminder: {debrief.get_kind_display().lower()} for {debrief.loss.deal.name}",
        template="losses/email/debrief_reminder.txt",
        context={"debrief": debrief},
        time_zone=user_zone(debrief.leader),
    )
    return True
