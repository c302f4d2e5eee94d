"""What learning adds to other apps' pages: on the home page, the practices to apply on the
user's own open deals (how many, and the strongest few); on the deal page, the practices
matched to that deal. Each costs one query whatever the number of matches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Window
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from debrief.learning import matching, queries
from debrief.learning.models import PracticeMatch
from debrief.org import access
from debrief.org.models import User
from debrief.pipeline.models import Deal, DealStatus

HOME_LIMIT = 5


def checklist_rows(user: User, matches: Sequence[PracticeMatch]) -> list[dict[str, Any]]:
    readable = None if access.reads_everything(user) else set(access.member_team_ids(user))
    return [
        {
            "match": m,
            "why": matching.describe(m.reasons),
            "can_edit": access.can_edit_deal(user, m.deal) and m.deal.status == DealStatus.OPEN,
            "practice_link": readable is None or m.practice.team_id in readable,
        }
        for m in matches
    ]


def home_panel(request: HttpRequest) -> SafeString | str:
    user: User = request.user  # type: ignore[assignment]
    if not access.can_write(user):
        return ""
    # The total rides along on each row, so the count and the top few are one query.
    top = list(
        queries.checklist(PracticeMatch.objects.filter(deal__owner=user)).annotate(
            total=Window(Count("pk"))
        )[:HOME_LIMIT]
    )
    if not top:
        return ""
    context = {"rows": checklist_rows(user, top), "count": top[0].total, "panel_id": "to-apply"}
    return render_to_string("learning/partials/home_panel.html", context, request=request)


def deal_panel(request: HttpRequest, deal: Deal) -> SafeString | str:
    """The practices matched to the deal, with why, and what the rep did about them."""
    user: User = request.user  # type: ignore[assignment]
    matches = list(
        PracticeMatch.objects.filter(deal=deal).select_related("practice").order_by("-score", "pk")
    )
    if not matches:
        return ""
    for match in matches:
        match.deal = deal
    context = {"rows": checklist_rows(user, matches), "deal": deal}
    return render_to_string("learning/partials/deal_panel.html", context, request=request)
