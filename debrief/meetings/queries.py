"""Reads about meetings shared by pages, API and tasks: the plan as a one-page PDF and as a
calendar invite, and the meetings that need attention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from debrief.meetings.models import (
    BALANCE_OF_VALUE,
    PLAN_PROMPTS,
    UPFRONT_CONTRACT,
    Meeting,
    MeetingPlan,
)
from debrief.notify import ics
from debrief.org.models import Organisation

# Font sizes tried, largest first, until the plan fits on one A4 page.
PDF_FONT_SIZES = (10.0, 9.0, 8.0, 7.0, 6.2)
PDF_FIELD_LIMIT = 600  # characters per answer kept in the smallest size, as a last resort
# About how many characters of answers fill the page at 10 pt (measured: 1,600 fit, 3,200 do
# not). A page holds roughly 1/size² as much, which gives a first size to try, so a long plan
# renders once or twice instead of once per size.
PDF_CHARS_AT_10PT = 2600


def plan_sections(plan: MeetingPlan) -> list[dict[str, Any]]:
    """The plan's parts in page order, each with its label and answer."""
    return [
        {"title": "The plan", "items": [(label, getattr(plan, f)) for f, label in PLAN_PROMPTS]},
        {
            "title": "Upfront contract",
            "items": [
                *((label, getattr(plan, f)) for f, label in UPFRONT_CONTRACT),
                (
                    "'No' is an acceptable answer",
                    "Agreed, and I will say so" if plan.contract_no_is_ok else "",
                ),
            ],
        },
        {
            "title": "Balance of value",
            "items": [(label, getattr(plan, f)) for f, label in BALANCE_OF_VALUE],
        },
    ]


def plan_pdf(meeting: Meeting) -> bytes:
    """The plan on exactly one A4 page: the font shrinks until it fits, and only if even the
    smallest size overflows are the longest answers shortened."""
    import weasyprint  # imported here: it loads pango, which only PDF requests need

    plan = meeting.plan
    org = Organisation.current()
    context: dict[str, Any] = {
        "meeting": meeting,
        "plan": plan,
        "sections": plan_sections(plan),
        "missing": plan.missing(org),
        "completeness": plan.completeness(org),
        "generated": timezone.now(),
    }
    chars = sum(len(str(answer or "")) for s in context["sections"] for _, answer in s["items"])
    document = None
    for size in _sizes_worth_trying(chars):
        html = render_to_string("meetings/plan_pdf.html", {**context, "font_size": size})
        document = weasyprint.HTML(string=html).render()
        if len(document.pages) == 1:
            return document.write_pdf()
    shortened = [
        {
            **section,
            "items": [
                (label, _shorten(str(answer), PDF_FIELD_LIMIT))
                for label, answer in section["items"]
            ],
        }
        for section in context["sections"]
    ]
    html = render_to_string(
        "meetings/plan_pdf.html",
        {**context, "sections": shortened, "font_size": PDF_FONT_SIZES[-1], "shortened": True},
    )
    document = weasyprint.HTML(string=html).render()
    document.pages[1:] = []  # answers are capped; anything past the page is the footer's overflow
    return document.write_pdf()


def _sizes_worth_trying(chars: int) -> list[float]:
    """The font sizes from the largest that might hold `chars`, estimated generously so the
    first try rarely wastes the page; none when even the smallest clearly cannot."""

    def capacity(size: float) -> float:
        return PDF_CHARS_AT_10PT * (10.0 / size) ** 2

    if chars > 1.25 * capacity(PDF_FONT_SIZES[-1]):
        return []
    first = next(
        (i for i, size in enumerate(PDF_FONT_SIZES) if capacity(size) * 1.15 >= chars),
        len(PDF_FONT_SIZES) - 1,
    )
    return list(PDF_FONT_SIZES[first:])


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plan_ics(meeting: Meeting) -> bytes:
    """The meeting as an invite, carrying the agenda and the agreed purpose."""
    plan = getattr(meeting, "plan", None)
    lines = [f"{meeting.title} — {meeting.deal.customer} ({meeting.deal.name})", ""]
    if plan is not None:
        if plan.purpose:
            lines += ["Purpose:", plan.purpose, ""]
        if plan.agenda:
            lines += ["Agenda:", plan.agenda, ""]
        if plan.contract_no_is_ok:
            lines += ["'No' is an acceptable answer: we will say so at the start.", ""]
    attendees = [ics.Person(u.full_name, u.email) for u in meeting.our_attendees.all()]
    attendees += [ics.Person(c.name, c.email) for c in meeting.customer_contacts.all() if c.email]
    organizer = meeting.created_by or meeting.deal.owner
    return ics.invite(
        uid=f"meeting-{meeting.pk}",
        summary=f"{meeting.title} — {meeting.deal.customer}",
        description="\n".join(lines).strip(),
        start=meeting.starts_at,
        duration=dt.timedelta(minutes=meeting.duration_minutes),
        organizer=ics.Person(organizer.full_name, organizer.email),
        attendees=[a for a in attendees if a.email != organizer.email],
        location=meeting.location,
        sequence=meeting.version,
    )


def meetings_needing_plans(
    meetings: QuerySet[Meeting], within: dt.timedelta = dt.timedelta(hours=48)
) -> list[Meeting]:
    """Meetings in the next 48 hours whose plan is not sufficient for the deal's size."""
    now = timezone.now()
    org = Organisation.current()
    upcoming = meetings.filter(starts_at__gte=now, starts_at__lte=now + within).select_related(
        "plan", "deal__customer", "deal__owner"
    )
    return [m for m in upcoming if not m.plan.is_sufficient(org)]
