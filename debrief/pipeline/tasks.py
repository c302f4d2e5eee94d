"""Background work for the sales core, run by the task worker after the action commits."""

from __future__ import annotations

from django.tasks import task

from debrief.notify.email import send_templated_email


@task()
def send_deal_assigned(deal_id: int, owner_id: int, actor_id: int | None) -> bool:
    """Tell a deal's new owner that it is theirs. Returns False when there is nothing to send
    (the deal is gone, or its owner changed again before the worker got to it: the newer
    task tells the newer owner)."""
    from debrief.org.models import User
    from debrief.pipeline.models import Deal

    deal = Deal.objects.select_related("owner", "customer").filter(pk=deal_id).first()
    if deal is None or deal.owner_id != owner_id or not deal.owner.is_active:
        return False
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    send_templated_email(
        to=[deal.owner.email],
        subject=f"Deal assigned to you: {deal.name}",
        template="pipeline/email/deal_assigned.txt",
        context={"deal": deal, "actor": actor},
    )
    return True
