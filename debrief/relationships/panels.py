"""What relationships add to other apps' pages: on the deal page, how things stand with the
customer; on the home page, the recovery touchpoints and re-engagements due (a rep's own, a
manager's team's). Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from debrief.org import access
from debrief.org.models import Role, User
from debrief.pipeline.models import Deal
from debrief.relationships import queries
from debrief.relationships.models import Relationship, RelationshipStatus

HOME_LIMIT = 8


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def deal_panel(request: HttpRequest, deal: Deal) -> SafeString | str:
    """The customer's relationship status, with a link to its page (one query)."""
    relationship = Relationship.objects.filter(customer_id=deal.customer_id).first()
    context = {
        "deal": deal,
        "relationship": relationship,
        "status": relationship.status if relationship else RelationshipStatus.INTACT,
        "url": Relationship(customer_id=deal.customer_id).get_absolute_url(),
    }
    return render_to_string("relationships/partials/deal_panel.html", context, request=request)


def home_panel(request: HttpRequest) -> SafeString | str:
    """Recovery touchpoints due within a week (or overdue) and re-engagements due within 30
    days: a manager sees the team's, anyone else who works deals their own."""
    user = _user(request)
    if not access.can_write(user):
        return ""
    today = timezone.localdate()
    team = user.role == Role.MANAGER
    if team:
        touchpoints = access.touchpoints_visible_to(user)
        relationships = access.relationships_visible_to(user)
    else:
        touchpoints = access.touchpoints_visible_to(user).filter(owner=user)
        relationships = access.relationships_visible_to(user).filter(
            re_engage_follow_up__owner=user
        )
    context = {
        "team": team,
        "today": today,
        "limit": HOME_LIMIT,
        "touchpoints": list(queries.touchpoints_due(touchpoints, today)[:HOME_LIMIT]),
        "re_engagements": list(queries.re_engagements_due(relationships, today)[:HOME_LIMIT]),
        "touchpoint_days": queries.TOUCHPOINTS_DUE_DAYS,
        "re_engagement_days": queries.RE_ENGAGEMENTS_DUE_DAYS,
    }
    if not context["touchpoints"] and not context["re_engagements"]:
        return ""
    return render_to_string("relationships/partials/home.html", context, request=request)
