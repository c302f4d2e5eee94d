"""What meetings add to other apps' pages: the deal page's meetings section, and the home
page's meetings to prepare and to close (this week's meetings with their plans, plans missing
before a meeting, outcomes to record, maybe-or-no decisions) and, for managers, the team's
meetings without plans and recent bad meetings. Each runs a fixed number of queries whatever
the number of meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from debrief.meetings.models import (
    BALANCE_OF_VALUE,
    PLAN_PROMPTS,
    SHORT_PLAN,
    UPFRONT_CONTRACT,
    BadMeeting,
    BadMeetingCauseRow,
    DecisionChoice,
    Meeting,
)
from debrief.org import access
from debrief.org.models import Organisation, Role, User
from debrief.pipeline.models import Deal, DealStatus

HOME_LIMIT = 8
WITHOUT_PLAN_DAYS = 14
BAD_MEETING_DAYS = 30
SOON_HOURS = 48
OUTCOME_WINDOW_DAYS = 90  # older meetings without an outcome are history, not a to-do

_FULL_TEXT_PARTS = tuple(f for f, _ in (*PLAN_PROMPTS, *UPFRONT_CONTRACT, *BALANCE_OF_VALUE))


# A bad meeting's causes in the order the rep gave them.
CAUSES_IN_ORDER = Prefetch("causes", queryset=BadMeetingCauseRow.objects.order_by("pk"))


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def plan_insufficient(org: Organisation) -> Q:
    """MeetingPlan.is_sufficient as a filter on meetings, so lists can be cut in the
    database: a small deal's plan misses a short-plan part, a large one's any part. (Answers
    are stored stripped, so an empty string is an empty answer.)"""
    threshold = org.full_plan_threshold
    short = Q(deal__amount__lt=threshold) & _any_empty(SHORT_PLAN)
    full = Q(deal__amount__gte=threshold) & (
        _any_empty(_FULL_TEXT_PARTS) | Q(plan__contract_no_is_ok=False)
    )
    return Q(plan__isnull=True) | short | full


def _any_empty(fields: Iterable[str]) -> Q:
    query = Q()
    for name in fields:
        query |= Q(**{f"plan__{name}": ""})
    return query


def with_plan_status(meetings: Iterable[Meeting], org: Organisation) -> list[Meeting]:
    """Each meeting with `plan_percent` and `plan_ok` set from its (selected) plan."""
    rows = list(meetings)
    for meeting in rows:
        plan = getattr(meeting, "plan", None)
        meeting.plan_percent = plan.completeness(org) if plan else 0  # type: ignore[attr-defined]
        meeting.plan_ok = bool(plan and plan.is_sufficient(org))  # type: ignore[attr-defined]
    return rows


def week_bounds(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, in the current (the user's) time zone."""
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return start, start + dt.timedelta(days=7)


def needs_outcome(meetings: QuerySet[Meeting], now: dt.datetime) -> QuerySet[Meeting]:
    """Meetings that took place on open deals, with no outcome recorded yet."""
    return meetings.filter(
        starts_at__lt=now,
        starts_at__gte=now - dt.timedelta(days=OUTCOME_WINDOW_DAYS),
        outcome__isnull=True,
        deal__status=DealStatus.OPEN,
    )


# --- the deal page ------------------------------------------------------------------------


def deal_panel(request: HttpRequest, deal: Deal) -> SafeString | str:
    """The deal's upcoming and past meetings with their plan's completeness, outcome and bad
    flag; 'Plan a meeting' for those who may change the deal."""
    user = _user(request)
    can_edit = access.can_edit_deal(user, deal) and deal.status == DealStatus.OPEN
    org = Organisation.current()
    meetings = with_plan_status(
        Meeting.objects.filter(deal=deal)
        .select_related("plan", "outcome", "bad")
        .order_by("starts_at", "pk"),
        org,
    )
    if not meetings and not can_edit:
        return ""
    now = timezone.now()
    context = {
        "deal": deal,
        "can_edit": can_edit,
        "upcoming": [m for m in meetings if m.starts_at >= now],
        "past": [m for m in reversed(meetings) if m.starts_at < now],
        "now": now,
        "today": timezone.localdate(),
    }
    return render_to_string("meetings/partials/deal_panel.html", context, request=request)


# --- the home page ------------------------------------------------------------------------


def _mine(user: User) -> QuerySet[Meeting]:
    """A rep's meetings: on their deals, or attended."""
    attends = Meeting.our_attendees.through.objects.filter(meeting=OuterRef("pk"), user=user)
    return Meeting.objects.filter(Q(deal__owner=user) | Exists(attends))


def _anything_to_show(scope: QuerySet[Meeting], now: dt.datetime) -> bool:
    """One cheap query first, so that the home page of someone without meetings pays for one
    query and not for every section."""
    _, week_end = week_bounds(now)
    return scope.filter(
        Q(
            starts_at__gte=now - dt.timedelta(days=OUTCOME_WINDOW_DAYS),
            starts_at__lt=max(week_end, now + dt.timedelta(days=WITHOUT_PLAN_DAYS)),
        )
        | Q(bad__decision=DecisionChoice.PENDING)
        | Q(bad__flagged_at__gte=now - dt.timedelta(days=BAD_MEETING_DAYS))
    ).exists()


def _sections(
    scope: QuerySet[Meeting], decisions: QuerySet[BadMeeting], now: dt.datetime
) -> dict[str, Any]:
    org = Organisation.current()
    start, end = week_bounds(now)
    rows = scope.select_related("plan", "deal__customer", "deal__owner")
    unplanned_soon = with_plan_status(
        rows.filter(
            plan_insufficient(org),
            starts_at__gte=now,
            starts_at__lte=now + dt.timedelta(hours=SOON_HOURS),
        ).order_by("starts_at", "pk")[:HOME_LIMIT],
        org,
    )
    week = with_plan_status(
        rows.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")[
            : HOME_LIMIT * 2
        ],
        org,
    )
    for meeting in week:
        meeting.needs_plan_soon = not meeting.plan_ok and _is_soon(meeting, now)  # type: ignore[attr-defined]
    to_record = list(needs_outcome(rows, now).order_by("-starts_at", "-pk")[: HOME_LIMIT + 1])
    pending = list(
        decisions.filter(decision=DecisionChoice.PENDING, meeting__deal__status=DealStatus.OPEN)
        .select_related("meeting__deal__customer", "meeting__deal__owner")
        .order_by("decision_due_on", "pk")[: HOME_LIMIT + 1]
    )
    return {
        "org": org,
        "now": now,
        "today": timezone.localdate(now),
        "week": week,
        "week_more": len(week) == HOME_LIMIT * 2,
        "unplanned_soon": unplanned_soon,
        "to_record": to_record[:HOME_LIMIT],
        "to_record_more": len(to_record) > HOME_LIMIT,
        "decisions": pending[:HOME_LIMIT],
        "decisions_more": len(pending) > HOME_LIMIT,
        "limit": HOME_LIMIT,
    }


def _is_soon(meeting: Meeting, now: dt.datetime) -> bool:
    return now <= meeting.starts_at <= now + dt.timedelta(hours=SOON_HOURS)


def _has_any(context: dict[str, Any], keys: Iterable[str]) -> bool:
    return any(context[key] for key in keys)


SECTIONS = ("week", "unplanned_soon", "to_record", "decisions")


def my_panel(request: HttpRequest) -> SafeString | str:
    """A rep's meetings: this week's with their plans, those in the next 48 hours without a
    sufficient plan, outcomes to record, and maybe-or-no decisions to take."""
    user = _user(request)
    if not access.can_write(user) or user.role == Role.MANAGER:
        return ""  # a manager's own meetings are in the team panel
    scope = _mine(user)
    now = timezone.now()
    if not _anything_to_show(scope, now):
        return ""
    context = _sections(scope, BadMeeting.objects.filter(meeting__deal__owner=user), now)
    if not _has_any(context, SECTIONS):
        return ""
    context |= {"panel_id": "home-meetings-mine", "title": "Your meetings", "team": False}
    return render_to_string("meetings/partials/home_panel.html", context, request=request)


def team_panel(request: HttpRequest) -> SafeString | str:
    """A manager's view of the team's meetings, plus upcoming meetings without a sufficient
    plan and the bad meetings of the last 30 days."""
    user = _user(request)
    if not user.is_active or user.role != Role.MANAGER:
        return ""
    scope = access.meetings_visible_to(user)
    now = timezone.now()
    if not _anything_to_show(scope, now):
        return ""
    bad = access.bad_meetings_visible_to(user)
    context = _sections(scope, bad, now)
    context["without_plans"] = with_plan_status(
        scope.filter(
            plan_insufficient(context["org"]),
            starts_at__gte=now,
            starts_at__lt=now + dt.timedelta(days=WITHOUT_PLAN_DAYS),
            deal__status=DealStatus.OPEN,
        )
        .select_related("plan", "deal__customer", "deal__owner")
        .order_by("starts_at", "pk")[:HOME_LIMIT],
        context["org"],
    )
    context["recent_bad"] = list(
        bad.filter(flagged_at__gte=now - dt.timedelta(days=BAD_MEETING_DAYS))
        .select_related("meeting__deal__customer", "meeting__deal__owner")
        .prefetch_related(CAUSES_IN_ORDER)
        .order_by("-flagged_at", "-pk")[:HOME_LIMIT]
    )
    if not _has_any(context, (*SECTIONS, "without_plans", "recent_bad")):
        return ""
    context |= {
        "panel_id": "home-meetings-team",
        "title": "Your team's meetings",
        "team": True,
        "without_plan_days": WITHOUT_PLAN_DAYS,
        "bad_days": BAD_MEETING_DAYS,
    }
    return render_to_string("meetings/partials/home_panel.html", context, request=request)
