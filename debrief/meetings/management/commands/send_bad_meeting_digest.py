"""`debrief send_bad_meeting_digest`: the weekly email to the marketing and product contacts
about bad meetings whose causes are theirs. Meant for cron, once a week; running it twice
sends nothing new."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from debrief.meetings.tasks import send_bad_meeting_digest


class Command(BaseCommand):
    help = (
        "Email the marketing and product contacts (organisation settings) the bad meetings "
        "flagged since the last digest with a cause of theirs. Run weekly, e.g. from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Run now rather than queue: cron wants to know it ran, and it is quick.
        result = send_bad_meeting_digest.call()
        emails, count = result["emails"], result["bad_meetings"]
        if not emails:
            self.stdout.write("No digest to send: no new bad meetings for a contact that is set.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent {emails} digest email{'s' if emails != 1 else ''} "
                f"about {count} bad meeting{'s' if count != 1 else ''}."
            )
        )
