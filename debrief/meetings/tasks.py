"""Background work of meetings: the weekly digest that feeds bad-meeting causes back to the
people who own them (marketing for misalignment, product for quality). Run weekly from cron
through `debrief send_bad_meeting_digest`; running it twice sends nothing new."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Prefetch
from django.tasks import task
from django.utils import timezone

from debrief.notify.email import send_templated_email

# A digest tells of last week's meetings; one that waited longer than this for a contact to be
# set is old news, so the first digest after setting one stays readable.
DIGEST_LOOKBACK_DAYS = 28

SUBJECTS = {
    "marketing": "Bad meetings this week: sales and marketing misalignment",
    "product": "Bad meetings this week: product or service quality",
}


@task()
def send_bad_meeting_digest() -> dict[str, int]:
    """Email each owner (marketing, product) whose contact is set the bad meetings flagged
    since the last digest with a cause of theirs, with deals and notes; then mark those bad
    meetings as sent. A bad meeting nobody could be told of stays unsent, for the next digest
    after its owner's contact is set (within the look-back)."""
    from debrief.meetings.models import CAUSE_OWNERS, BadMeeting, BadMeetingCauseRow
    from debrief.org.models import Organisation

    org = Organisation.current()
    contacts = {"marketing": org.marketing_contact_email, "product": org.product_contact_email}
    now = timezone.now()
    owned_causes = [c for c, owner in CAUSE_OWNERS.items() if contacts.get(owner)]
    if not owned_causes:
        return {"emails": 0, "bad_meetings": 0}
    emails = 0
    with transaction.atomic():
        # Locked, so that two runs at once cannot both send the same bad meetings.
        pending = list(
            BadMeeting.objects.select_for_update()
            .filter(
                digest_sent_at__isnull=True,
                flagged_at__gte=now - dt.timedelta(days=DIGEST_LOOKBACK_DAYS),
                pk__in=BadMeetingCauseRow.objects.filter(cause__in=owned_causes).values(
                    "bad_meeting_id"
                ),
            )
            .values_list("pk", flat=True)
        )
        if not pending:
            return {"emails": 0, "bad_meetings": 0}
        bad_meetings = list(
            BadMeeting.objects.filter(pk__in=pending)
            .select_related("meeting__deal__customer", "meeting__deal__owner")
            .prefetch_related(
                Prefetch("causes", queryset=BadMeetingCauseRow.objects.order_by("pk"))
            )
            .order_by("flagged_at", "pk")
        )
        for owner in ("marketing", "product"):
            address = contacts[owner]
            theirs = [
                bad
                for bad in bad_meetings
                if any(CAUSE_OWNERS.get(row.cause) == owner for row in bad.causes.all())
            ]
            if not address or not theirs:
                continue
            send_templated_email(
                to=[address],
                subject=f"{SUBJECTS[owner]} ({len(theirs)})",
                template="meetings/email/bad_meeting_digest.txt",
                context={"owner": owner, "bad_meetings": theirs},
            )
            emails += 1
        # The digest's own bookkeeping: no business event, so no action or event row.
        BadMeeting.objects.filter(pk__in=pending).update(digest_sent_at=now, updated_at=now)
    return {"emails": emails, "bad_meetings": len(pending)}
