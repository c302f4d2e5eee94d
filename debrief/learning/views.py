"""The learning pages: retros (groups, proposals, votes, accepting), the team's playbook and
each best practice, the rep's checklist of practices to apply, adoption, review my funnel,
and whether applying practices works. Reads go through `org.access`, writes through
`learning.actions`; every small action is a plain POST that redirects, and answers htmx with
the part it changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from debrief.learning import actions, matching, queries
from debrief.learning.forms import (
    DecisionForm,
    MergeForm,
    PracticeForm,
    ProposalForm,
    RetroForm,
    team_people,
)
from debrief.learning.models import (
    BestPractice,
    MatchStatus,
    PracticeMatch,
    PracticeStatus,
    Proposal,
    ProposalStatus,
    Retro,
    RetroStatus,
    Vote,
)
from debrief.learning.panels import checklist_rows
from debrief.losses.models import DebriefAnswer, Lesson, LossRecord
from debrief.org import access
from debrief.org.forms import add_action_errors
from debrief.org.models import Role, Team, User
from debrief.pipeline.models import DealStatus
from debrief.web.htmx import AuthenticatedRequest, is_partial

PER_PAGE = 50
FUNNEL_LIMIT = 1000  # matches on one page of "review my funnel"
PLAYBOOK_TABS = {
    PracticeStatus.PUBLISHED: "Published",
    PracticeStatus.DRAFT: "Drafts",
    PracticeStatus.RETIRED: "Retired",
}


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for found in error.message_dict.values() for m in found]
    return list(error.messages)


def _attempt(request: AuthenticatedRequest, act: Callable[[], object], done: str) -> bool:
    """Run an action; say what happened as a message either way."""
    try:
        act()
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


def _next_or(request: AuthenticatedRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


def _chosen_team(request: AuthenticatedRequest, teams: list[Team]) -> Team:
    wanted = request.POST.get("team") or request.GET.get("team")
    for team in teams:
        if str(team.pk) == wanted:
            return team
    return teams[0]


def _runnable_teams(user: User) -> list[Team]:
    """The teams whose retros (and practices) the user runs."""
    if not access.can_write(user):
        return []
    teams = (
        Team.objects.all()
        if access.is_admin(user)
        else Team.objects.filter(pk__in=access.managed_team_ids(user))
    )
    return list(teams.order_by("name"))


def _readable_practice_teams(user: User) -> set[int] | None:
    """Whose practices the user may open; None for everyone's."""
    return None if access.reads_everything(user) else set(access.member_team_ids(user))


# --- retros -------------------------------------------------------------------------------


@login_required
@require_GET
def retros(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    found = (
        access.retros_visible_to(user)
        .select_related("team", "facilitator")
        .annotate(
            deal_count=Count("deals", distinct=True),
            proposal_count=Count("proposals", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "can_open": bool(_runnable_teams(user))}
    return render(request, "learning/retros.html", context)


@login_required
def retro_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    teams = _runnable_teams(user)
    if not teams:
        raise PermissionDenied("A team's manager opens its retros.")
    team = _chosen_team(request, teams)
    posted = request.method == "POST"
    form = RetroForm(
        request.POST if posted else None,
        team=team,
        initial={"attendees": list(team_people(team))},
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            opened = actions.open_retro(
                user,
                team=team,
                title=data["title"],
                deals=list(data["deals"]),
                attendees=list(data["attendees"]),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The retro is open and the groups are formed.")
            return redirect(opened)
    context = {"form": form, "team": team, "teams": teams}
    return render(request, "learning/retro_new.html", context, status=400 if form.errors else 200)


def _retro_context(
    user: User, found: Retro, proposal_form: ProposalForm | None = None
) -> dict[str, Any]:
    """Everything the retro page shows, in a fixed number of queries."""
    retro = Retro.objects.select_related("team", "facilitator").get(pk=found.pk)
    groups = list(
        retro.groups.prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("full_name", "email"))
        )
    )
    my_group = next((g for g in groups if any(m.pk == user.pk for m in g.members.all())), None)
    deals = list(retro.deals.select_related("customer", "owner").order_by("name", "pk"))
    deal_ids = [d.pk for d in deals]
    visible = set(
        access.deals_visible_to(user).filter(pk__in=deal_ids).values_list("pk", flat=True)
    )
    losses: dict[int, LossRecord] = {}
    for loss in (
        LossRecord.objects.filter(deal_id__in=deal_ids)
        .select_related("outcome_type", "stage_at_loss", "debrief")
        .prefetch_related("reasons", "competitors")
        .order_by("-lost_on", "-pk")
    ):
        losses.setdefault(loss.deal_id, loss)
    answers: dict[int, list[DebriefAnswer]] = {}
    for answer in (
        DebriefAnswer.objects.filter(debrief__loss__deal_id__in=deal_ids)
        .exclude(answer="")
        .select_related("debrief__loss")
        .order_by("number", "pk")
    ):
        answers.setdefault(answer.debrief.loss.deal_id, []).append(answer)
    lessons: dict[int, list[Lesson]] = {}
    for lesson in Lesson.objects.filter(loss__deal_id__in=deal_ids).select_related("loss"):
        lessons.setdefault(lesson.loss.deal_id, []).append(lesson)
    own_its: dict[int, list[Any]] = {}
    for review in (
        access.own_it_reviews_visible_to(user)
        .filter(loss__deal_id__in=deal_ids)
        .select_related("loss", "rep", "decisive_reason")
    ):
        if not review.is_empty:
            own_its.setdefault(review.loss.deal_id, []).append(review)
    material = [
        {
            "deal": deal,
            "visible": deal.pk in visible,
            "loss": losses.get(deal.pk),
            "answers": answers.get(deal.pk, []),
            "lessons": lessons.get(deal.pk, []),
            "own_its": own_its.get(deal.pk, []),
        }
        for deal in deals
    ]
    proposals = list(
        retro.proposals.select_related("author", "group", "merged_into", "practice")
        .annotate(
            vote_count=Count("votes"),
            i_voted=Exists(Vote.objects.filter(proposal=OuterRef("pk"), voter=user)),
        )
        .order_by("created_at", "pk")
    )
    if retro.status != RetroStatus.PROPOSING:
        proposals.sort(key=lambda p: (p.status == ProposalStatus.MERGED, -p.vote_count))
    open_proposals = [p for p in proposals if p.status == ProposalStatus.PROPOSED]
    can_run = access.can_run_retro(user, retro)
    return {
        "retro": retro,
        "groups": groups,
        "my_group": my_group,
        "material": material,
        "proposals": proposals,
        "open_proposals": open_proposals,
        "can_run": can_run,
        "can_take_part": access.can_take_part_in_retro(user, retro),
        "is_attendee": retro.attendees.filter(pk=user.pk).exists(),
        "proposal_form": proposal_form or ProposalForm(),
        "sizes": [len(g.members.all()) for g in groups],
    }


@login_required
@require_GET
def retro(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    found = access.get_retro_for_user(request.user, retro_id)
    return render(request, "learning/retro.html", _retro_context(request.user, found))


@login_required
@require_POST
def reshuffle(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    found = access.get_retro_for_user(request.user, retro_id, run=True)
    _attempt(
        request, lambda: actions.reshuffle_groups(found, request.user), "The groups are reshuffled."
    )
    return redirect(f"{found.get_absolute_url()}#groups")


@login_required
@require_POST
def propose(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    user = request.user
    found = access.get_retro_for_user(user, retro_id)
    if not access.can_take_part_in_retro(user, found):
        raise PermissionDenied("Only the retro's attendees propose.")
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            actions.propose(found, user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "Your group's proposal is in.")
            return redirect(f"{found.get_absolute_url()}#proposals")
    context = _retro_context(user, found, proposal_form=form)
    return render(request, "learning/retro.html", context, status=400)


@login_required
@require_POST
def merge(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    user = request.user
    found = access.get_retro_for_user(user, retro_id, run=True)
    form = MergeForm(request.POST)
    back = redirect(f"{found.get_absolute_url()}#proposals")
    if not form.is_valid():
        messages.error(request, "Choose the proposal to merge into.")
        return back
    by_pk = found.proposals.in_bulk([form.cleaned_data["keep"], form.cleaned_data["duplicate"]])
    keep = by_pk.get(form.cleaned_data["keep"])
    duplicate = by_pk.get(form.cleaned_data["duplicate"])
    if keep is None or duplicate is None:
        messages.error(request, "Merge proposals of this retro.")
        return back
    _attempt(
        request,
        lambda: actions.merge_proposals(keep, duplicate, user),
        f"Merged into “{keep.statement}”: its votes and reasons are kept.",
    )
    return back


@login_required
@require_POST
def start_voting(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    found = access.get_retro_for_user(request.user, retro_id, run=True)
    _attempt(
        request,
        lambda: actions.start_voting(found, request.user),
        "Voting is open: one vote per person per proposal.",
    )
    return redirect(f"{found.get_absolute_url()}#proposals")


@login_required
@require_POST
def close(request: AuthenticatedRequest, retro_id: int) -> HttpResponse:
    found = access.get_retro_for_user(request.user, retro_id, run=True)
    _attempt(request, lambda: actions.close_retro(found, request.user), "The retro is closed.")
    return redirect(found)


def _proposal(user: User, proposal_id: int) -> Proposal:
    found = (
        Proposal.objects.select_related("retro")
        .filter(pk=proposal_id, retro__in=access.retros_visible_to(user))
        .first()
    )
    if found is None:
        raise Http404("No such proposal.")
    return found


@login_required
@require_POST
def vote(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = _proposal(user, proposal_id)
    if not access.can_take_part_in_retro(user, proposal.retro):
        raise PermissionDenied("Only the retro's attendees vote.")
    if not is_partial(request):
        _attempt(request, lambda: actions.vote(proposal, user), "Your vote is counted.")
        return redirect(f"{proposal.retro.get_absolute_url()}#proposal-{proposal.pk}")
    errors: list[str] = []
    try:
        actions.vote(proposal, user)
    except ValidationError as error:
        errors = _error_messages(error)
    context = _retro_context(user, proposal.retro)
    row = next(p for p in context["proposals"] if p.pk == proposal.pk)
    context.update(proposal=row, errors=errors)
    return render(request, "learning/partials/proposal.html", context)


@login_required
@require_POST
def accept(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = _proposal(user, proposal_id)
    found = access.get_retro_for_user(user, proposal.retro_id, run=True)
    try:
        practice = actions.accept_proposal(proposal, user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect(f"{found.get_absolute_url()}#proposal-{proposal.pk}")
    messages.success(
        request,
        "Accepted: it is a draft best practice now. Say when it applies, then publish it.",
    )
    return redirect(practice)


# --- best practices -----------------------------------------------------------------------


@login_required
@require_GET
def practices(request: AuthenticatedRequest) -> HttpResponse:
    """The team's playbook: its published practices, its drafts, and the retired ones."""
    user = request.user
    tab = request.GET.get("status", PracticeStatus.PUBLISHED)
    if tab not in PLAYBOOK_TABS:
        tab = PracticeStatus.PUBLISHED
    found = (
        access.practices_visible_to(user)
        .filter(status=tab)
        .select_related("team", "owner")
        .prefetch_related("stages", "competitors", "products", "reasons")
        .order_by("-published_at", "-created_at", "-pk")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(p, queries.conditions_in_words(p)) for p in page.object_list]
    context = {
        "page_obj": page,
        "rows": rows,
        "tab": tab,
        "tabs": PLAYBOOK_TABS,
        "can_write": bool(_runnable_teams(user)),
        "sees_adoption": _sees_adoption(user),
    }
    return render(request, "learning/practices.html", context)


@login_required
@require_GET
def practice(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    user = request.user
    found = access.get_practice_for_user(user, practice_id)
    shown = (
        BestPractice.objects.select_related("team", "owner", "retro", "proposal")
        .prefetch_related("stages", "competitors", "products", "reasons")
        .get(pk=found.pk)
    )
    source_deals = list(shown.source_deals.select_related("customer").order_by("name"))
    visible = set(
        access.deals_visible_to(user)
        .filter(pk__in=[d.pk for d in source_deals])
        .values_list("pk", flat=True)
    )
    matches = access.matches_visible_to(user).filter(practice=shown)
    applies_to = list(
        matches.filter(deal__status=DealStatus.OPEN)
        .exclude(status=MatchStatus.EXPIRED)
        .select_related("deal__customer", "deal__owner")
        .order_by("-score", "pk")[:PER_PAGE]
    )
    overall, _ = queries.effect(matches)
    context = {
        "practice": shown,
        "conditions": queries.conditions_in_words(shown),
        "source_deals": [(d, d.pk in visible) for d in source_deals],
        "source_debriefs": list(shown.source_debriefs.select_related("loss__deal")),
        "source_lessons": list(shown.source_lessons.all()),
        "events": list(shown.events.select_related("actor")[:PER_PAGE]),
        "applies_to": [(m, matching.describe(m.reasons)) for m in applies_to],
        "effect": _effect_row(overall),
        "can_edit": access.can_edit_practice(user, shown),
    }
    return render(request, "learning/practice.html", context)


@login_required
def practice_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    teams = [t for t in _runnable_teams(user) if access.can_write_practices(user, t)]
    if not teams:
        raise PermissionDenied("A team's manager writes its practices.")
    team = _chosen_team(request, teams)
    form = PracticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            written = actions.write_practice(user, form.practice_input(), team=team)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The practice is saved as a draft.")
            return redirect(written)
    context = {"form": form, "team": team, "teams": teams, "practice": None}
    return render(
        request, "learning/practice_form.html", context, status=400 if form.errors else 200
    )


@login_required
def practice_edit(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    user = request.user
    found = access.get_practice_for_user(user, practice_id, edit=True)
    if request.method == "POST":
        form = PracticeForm(request.POST)
    else:
        form = PracticeForm(initial=PracticeForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            actions.write_practice(user, form.practice_input(), team=found.team, practice=found)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, "The practice is saved.")
            return redirect(found)
    context = {"form": form, "team": found.team, "teams": [found.team], "practice": found}
    return render(
        request, "learning/practice_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def practice_publish(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    found = access.get_practice_for_user(request.user, practice_id, edit=True)
    _attempt(
        request,
        lambda: actions.publish_practice(found, request.user),
        "Published to the team's playbook: the team is told, and it is matched to the open "
        "deals it applies to.",
    )
    return redirect(found)


@login_required
@require_POST
def practice_retire(request: AuthenticatedRequest, practice_id: int) -> HttpResponse:
    found = access.get_practice_for_user(request.user, practice_id, edit=True)
    why = request.POST.get("why", "")
    _attempt(
        request,
        lambda: actions.retire_practice(found, request.user, why=why),
        "Retired: it leaves the playbook and the checklists.",
    )
    return redirect(found)


# --- the rep's checklist ------------------------------------------------------------------


@login_required
@require_GET
def to_apply(request: AuthenticatedRequest) -> HttpResponse:
    """Practices to apply: the suggestions on the open deals the user looks after."""
    user = request.user
    found = queries.checklist(access.matches_visible_to(user)).select_related("deal__owner")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": checklist_rows(user, list(page.object_list)),
        "team": access.home_scope(user) != "own",
    }
    return render(request, "learning/to_apply.html", context)


def _decide(request: AuthenticatedRequest, match_id: int, status: str) -> HttpResponse:
    user = request.user
    found = access.get_match_for_user(user, match_id, edit=True)
    form = DecisionForm(request.POST)
    note = request.POST.get("note", "")
    errors: list[str] = []
    try:
        if status == MatchStatus.APPLIED:
            actions.apply_match(found, user, note=note)
        else:
            actions.dismiss_match(found, user, why=note)
    except ValidationError as error:
        errors = _error_messages(error)
    if is_partial(request):
        fresh = PracticeMatch.objects.select_related(
            "practice", "deal__customer", "deal__stage", "deal__owner"
        ).get(pk=found.pk)
        row = checklist_rows(user, [fresh])[0]
        context = {"row": row, "errors": errors, "note": note if errors else "", "form": form}
        return render(request, "learning/partials/match.html", context)
    if errors:
        for message in errors:
            messages.error(request, message)
    elif status == MatchStatus.APPLIED:
        messages.success(
            request, f"Applied to {found.deal.name}: it counts towards 'did it work?'."
        )
    else:
        messages.success(request, f"Marked not relevant to {found.deal.name}.")
    return redirect(_next_or(request, reverse("learning-to-apply")))


@login_required
@require_POST
def match_apply(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    return _decide(request, match_id, MatchStatus.APPLIED)


@login_required
@require_POST
def match_dismiss(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    return _decide(request, match_id, MatchStatus.NOT_RELEVANT)


# --- adoption, review my funnel, did it work? ----------------------------------------------


def _sees_adoption(user: User) -> bool:
    return access.reads_everything(user) or (user.is_active and user.role == Role.MANAGER)


@login_required
@require_GET
def adoption(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _sees_adoption(user):
        raise PermissionDenied("Adoption is for managers, admins and analysts.")
    matches = access.matches_visible_to(user)
    context = {
        "by_rep": queries.adoption(matches, "deal__owner"),
        "by_practice": queries.adoption(matches, "practice"),
    }
    return render(request, "learning/adoption.html", context)


@login_required
@require_GET
def funnel(request: AuthenticatedRequest) -> HttpResponse:
    """Review my funnel: for each published practice, the open deals it applies to."""
    user = request.user
    published = list(
        access.practices_visible_to(user)
        .filter(status=PracticeStatus.PUBLISHED)
        .select_related("team")
        .order_by("statement", "pk")
    )
    matches = list(
        access.matches_visible_to(user)
        .filter(practice__in=[p.pk for p in published], deal__status=DealStatus.OPEN)
        .exclude(status=MatchStatus.EXPIRED)
        .select_related("deal__customer", "deal__stage", "deal__owner")
        .order_by("practice_id", "-score", "pk")[: FUNNEL_LIMIT + 1]
    )
    cut = len(matches) > FUNNEL_LIMIT
    per: dict[int, list[PracticeMatch]] = {}
    for match in matches[:FUNNEL_LIMIT]:
        per.setdefault(match.practice_id, []).append(match)
    sections = [
        {"practice": p, "rows": [(m, matching.describe(m.reasons)) for m in per.get(p.pk, [])]}
        for p in published
    ]
    sections.sort(key=lambda s: -len(s["rows"]))  # type: ignore[arg-type]
    context = {"sections": sections, "cut": cut, "team": access.home_scope(user) != "own"}
    return render(request, "learning/funnel.html", context)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _effect_row(found: queries.Effect) -> dict[str, Any]:
    def side(s: queries.Side) -> dict[str, Any]:
        low, high = s.interval
        return {
            "won": s.won,
            "closed": s.closed,
            "rate": _percent(s.win_rate),
            "interval": f"{low:.0%}–{high:.0%}" if s.closed else "—",
        }

    too_few = min(found.applied.closed, found.not_applied.closed) < queries.TOO_FEW
    return {
        "practice": found.practice,
        "applied": side(found.applied),
        "not_applied": side(found.not_applied),
        "verdict": found.verdict,
        "too_few": too_few,
    }


@login_required
@require_GET
def effect(request: AuthenticatedRequest) -> HttpResponse:
    """Did it work? Closed deals where a practice matched: applied versus not."""
    user = request.user
    overall, per = queries.effect(access.matches_visible_to(user))
    readable = _readable_practice_teams(user)
    context = {
        "overall": _effect_row(overall),
        "rows": [_effect_row(e) for e in per],
        "readable": readable,
        "too_few": queries.TOO_FEW,
    }
    return render(request, "learning/effect.html", context)
