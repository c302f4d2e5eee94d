"""Background work of learning: matching a practice to every open deal, re-matching one deal
after it changed, and telling the team when a practice is published. Each re-reads what it
acts on, so a repeat run changes nothing."""

from __future__ import annotations

from django.tasks import task

from debrief.notify.email import send_templated_email


@task()
def match_practice_task(practice_id: int) -> int:
    from debrief.learning.actions import match_practice
    from debrief.learning.models import BestPractice, PracticeStatus

    practice = BestPractice.objects.filter(pk=practice_id, status=PracticeStatus.PUBLISHED).first()
    return match_practice(practice) if practice else 0


@task()
def rematch_deal_task(deal_id: int) -> int:
    from debrief.learning.actions import rematch_deal
    from debrief.pipeline.models import Deal

    deal = Deal.objects.filter(pk=deal_id).first()
    return len(rematch_deal(deal)) if deal else 0


@task()
def announce_practice(practice_id: int) -> int:
    """In-app and by email, to everyone in the practice's team."""
    from debrief.learning.models import BestPractice, PracticeStatus
    from debrief.notify.actions import notify
    from debrief.org.models import User

    practice = (
        BestPractice.objects.select_related("team", "owner")
        .filter(pk=practice_id, status=PracticeStatus.PUBLISHED)
        .first()
    )
    if practice is None:
        return 0
    people = list(
        User.objects.filter(is_active=True)
        .filter(pk__in=practice.team.members.values("pk"))
        .union(User.objects.filter(is_active=True, pk__in=practice.team.managers.values("pk")))
    )
    notify(
        people,
        kind="practice_published",
        key=f"practice-{practice.pk}",
        title=f"New best practice: {practice.statement}",
        url=practice.get_absolute_url(),
    )
    for person in people:
        send_templated_email(
            to=[person.email],
            subject=f"New best practice for {practice.team}: {practice.statement}",
            template="learning/email/practice_published.txt",
            context={"practice": practice, "person": person},
        )
    return len(people)
