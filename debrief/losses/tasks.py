"""Background work of the loss loop: invites, reminders. Each task re-reads the state it acts
on, so running it twice, or after things changed, does no harm."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from debrief.notify.email import send_templated_email

OWN_IT_REMINDERS = 5  # Daily nudges while the review is empty; after that, the manager sees it.


@task()
def remind_own_it_review(review_id: int, attempt: int = 1) -> bool:
    """Remind the rep, a day after the loss, while their own-it review is still empty."""
    from debrief.losses.models import OwnItReview

    review = OwnItReview.objects.select_related("rep", "loss__deal").filter(pk=review_id).first()
    if review is None or review.submitted_at is not None or not review.rep.is_active:
        return False
    send_templated_email(
        to=[review.rep.email],
        subject=f"Your own-it review of {review.loss.deal.name}",
        template="losses/email/own_it_reminder.txt",
        context={"review": review},
    )
    if attempt < OWN_IT_REMINDERS:
        remind_own_it_review.using(run_after=timezone.now() + dt.timedelta(days=1)).enqueue(
            review_id, attempt + 1
        )
    return True


@task()
def send_debrief_invite(debrief_id: int) -> bool:
    """Email the debrief's invite (.ics) to its leader and participants, and queue the
    reminders for the day before and the day itself."""
    from debrief.losses.models import Debrief
    from debrief.losses.queries import debrief_invite_ics

    debrief = (
        Debrief.objects.select_related("leader", "loss__deal__customer")
        .prefetch_related("participants")
        .filter(pk=debrief_id)
        .first()
    )
    if debrief is None or not debrief.is_open:
        return False
    people = {debrief.leader.email, *(p.email for p in debrief.participants.all())}
    send_templated_email(
        to=sorted(people),
        subject=f"{debrief.get_kind_display()}: {debrief.loss.deal.name}",
        template="losses/email/debrief_invite.txt",
        context={"debrief": debrief},
        attachments=[("debrief.ics", debrief_invite_ics(debrief), "text/calendar; method=REQUEST")],
    )
    when = debrief.when
    for run_at in (when - dt.timedelta(days=1), when.replace(hour=7, minute=0)):
        if run_at > timezone.now():
            remind_debrief_leader.using(run_after=run_at).enqueue(debrief.pk, when.isoformat())
    return True


@task()
def remind_debrief_leader(debrief_id: int, when_iso: str) -> bool:
    """The reminder the day before and on the day. A debrief moved since it was queued is
    reminded by the newer task instead."""
    from debrief.losses.models import Debrief

    debrief = Debrief.objects.select_related("leader", "loss__deal").filter(pk=debrief_id).first()
    if debrief is None or not debrief.is_open or debrief.when.isoformat() != when_iso:
        return False
    send_templated_email(
        to=[debrief.leader.email],
        subject=f"Reminder: {debrief.get_kind_display().lower()} for {debrief.loss.deal.name}",
        template="losses/email/debrief_reminder.txt",
        context={"debrief": debrief},
    )
    return True
