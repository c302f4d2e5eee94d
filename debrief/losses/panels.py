"""What the loss loop adds to other apps' pages: the loss section of the deal page, and the
home page's to-dos (own-it reviews to write, debriefs to lead) and, for managers, the team's
warning signs (losing streaks, overdue post-mortems, customers to contact). Each runs a fixed
number of queries whatever the number of losses."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from debrief.losses import queries
from debrief.losses.forms import ReopenForm
from debrief.losses.models import Debrief, Lesson, LossRecord, LossRecordReason, OwnItReview
from debrief.org import access
from debrief.org.models import Organisation, Role, User
from debrief.pipeline.models import Deal

HOME_LIMIT = 8


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def deal_panel(request: HttpRequest, deal: Deal) -> SafeString | str:
    """The deal's standing loss with its own-it review (for those who may read it), its
    debrief and lessons, a Reopen form; earlier losses of a reopened deal as history; and
    on an open deal, the way to record a loss."""
    user = _user(request)
    can_edit = access.can_edit_deal(user, deal)
    records = list(
        LossRecord.objects.filter(deal=deal)
        .select_related(
            "outcome_type",
            "stage_at_loss",
            "recorded_by",
            "own_it__rep",
            "own_it__decisive_reason",
            "debrief__leader",
            "debrief__contact_follow_up",
        )
        .prefetch_related(
            Prefetch("reason_links", queryset=LossRecordReason.objects.select_related("reason")),
            "competitors",
            Prefetch("lessons", queryset=Lesson.objects.select_related("author")),
        )
        .order_by("-lost_on", "-pk")
    )
    standing = (
        next((r for r in records if r.reopened_at is None), None) if not deal.is_open else None
    )
    earlier = [r for r in records if r is not standing]
    if deal.is_open and not can_edit and not earlier:
        return ""
    review = getattr(standing, "own_it", None) if standing else None
    context = {
        "deal": deal,
        "can_edit": can_edit,
        "standing": standing,
        "earlier": earlier,
        "review": review if review and access.can_see_own_it_review(user, review) else None,
        "debrief": getattr(standing, "debrief", None) if standing else None,
        "reopen_form": ReopenForm(auto_id="reopen_%s") if can_edit and not deal.is_open else None,
    }
    return render_to_string("losses/partials/deal_panel.html", context, request=request)


def my_panel(request: HttpRequest) -> SafeString | str:
    """A rep's to-dos after a loss: own-it reviews still to write, debriefs they lead."""
    user = _user(request)
    if not access.can_write(user):
        return ""
    reviews = list(
        OwnItReview.objects.filter(
            rep=user, submitted_at__isnull=True, loss__reopened_at__isnull=True
        )
        .select_related("loss__deal__customer")
        .order_by("loss__lost_on", "pk")[:HOME_LIMIT]
    )
    # A manager sees the debriefs they lead in the team panel, with everyone else's.
    leading: list[Debrief] = []
    if user.role != Role.MANAGER:
        leading = list(queries.debriefs_due(Debrief.objects.filter(leader=user))[:HOME_LIMIT])
    if not reviews and not leading:
        return ""
    context = {"reviews": reviews, "leading": leading, "limit": HOME_LIMIT}
    return render_to_string("losses/partials/home_mine.html", context, request=request)


def team_panel(request: HttpRequest) -> SafeString | str:
    """A manager's early warnings: reps on a run of losses (coach before discouragement
    spreads), major post-mortems overdue, debriefs due, customers still to contact."""
    user = _user(request)
    if not user.is_active or user.role != Role.MANAGER:
        return ""
    org = Organisation.current()
    today = timezone.localdate()
    debriefs = access.debriefs_visible_to(user)
    context = {
        "streak_length": org.losing_streak_length,
        "streaks": queries.losing_streaks(access.deals_visible_to(user), org.losing_streak_length)[
            :HOME_LIMIT
        ],
        "overdue": list(queries.overdue_post_mortems(debriefs, today)[:HOME_LIMIT]),
        "due": list(queries.debriefs_due(debriefs)[:HOME_LIMIT]),
        "to_contact": list(
            debriefs.filter(
                contact_follow_up__isnull=False, contact_follow_up__done_at__isnull=True
            )
            .select_related("contact_follow_up", "loss__deal__customer")
            .order_by("contact_follow_up__due_on", "pk")[:HOME_LIMIT]
        ),
        "today": today,
        "limit": HOME_LIMIT,
    }
    if not any(context[key] for key in ("streaks", "overdue", "due", "to_contact")):
        return ""
    return render_to_string("losses/partials/home_team.html", context, request=request)
