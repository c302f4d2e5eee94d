"""Background work for the sales core, run by the task worker after the action commits."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from debrief.notify.email import send_templated_email


@task()
def send_deal_assigned(
    deal_id: int, owner_id: int, actor_id: int | None, version: int | None = None
) -> bool:
    """Tell a deal's new owner that it is theirs, by email and in the app. Returns False when
    there is nothing to send (the deal is gone, or its owner changed again before the worker
    got to it: the newer task tells the newer owner), or when this assignment was told
    already: a task run again after its worker died mid-way tells nobody twice."""
    from debrief.notify.actions import notify
    from debrief.org.models import User
    from debrief.pipeline.models import Deal

    with transaction.atomic():
        # The deal's row lock makes two runs of this task take turns, and the notification
        # (one per user and key) is the mark that this assignment has been told. Had the
        # email failed, the mark is rolled back with it.
        deal = (
            Deal.objects.select_for_update(of=("self",))
            .select_related("owner", "customer")
            .filter(pk=deal_id)
            .first()
        )
        if deal is None or deal.owner_id != owner_id or not deal.owner.is_active:
            return False
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        key = f"deal-assigned:{deal_id}:{owner_id if version is None else f'v{version}'}"
        title = f"{actor or 'Someone'} made you the owner of {deal.name}"
        if not notify(
            [deal.owner], kind="deal_assigned", key=key, title=title, url=deal.get_absolute_url()
        ):
            return False
        send_templated_email(
            to=[deal.owner.email],
            subject=f"Deal assigned to you: {deal.name}",
            template="pipeline/email/deal_assigned.txt",
            context={"deal": deal, "actor": actor},
        )
    return True
