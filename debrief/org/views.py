"""The user's own page (profile, password, API tokens) and the admin settings pages
(organisation, stages, users, teams). Every write goes through an action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from debrief.org import access, actions
from debrief.org.forms import (
    ActionPasswordChangeForm,
    ApiTokenForm,
    OrganisationForm,
    ProfileForm,
    StageEditForm,
    StageForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    add_action_errors,
)
from debrief.org.models import Organisation, Team, User
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import DealStatus, Stage

USERS_PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _htmx(request: HttpRequest) -> bool:
    """An htmx request gets just the part of the page it swaps."""
    return bool(getattr(request, "htmx", False))


def _run(form: Any, action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action for a valid form; on a rule broken, put the errors on the form and
    return None. The action is atomic, so nothing is half-saved."""
    try:
        return action(*args, **kwargs)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None


# --- the user's own page ------------------------------------------------------------------------


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):  # type: ignore[type-arg]
    form_class = ActionPasswordChangeForm
    template_name = "org/password_change.html"
    success_url = reverse_lazy("org-profile")
    success_message = "Your password has been changed."


def _profile_page(
    request: HttpRequest,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context = {
        "form": form
        or ProfileForm(initial={"full_name": user.full_name, "time_zone": user.time_zone}),
        "token_form": token_form or ApiTokenForm(),
        "tokens": user.api_tokens.all(),
        "new_key": new_key,
        "teams": user.teams.all(),
        "managed_teams": user.managed_teams.all(),
    }
    if _htmx(request):
        return render(request, "org/_tokens.html", context)
    return render(request, "org/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method != "POST":
        return _profile_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid() and _run(form, actions.update_user, user, user, **form.cleaned_data):
        messages.success(request, "Your profile is saved.")
        return redirect("org-profile")
    user.refresh_from_db()
    return _profile_page(request, form=form, status=400)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST)
    created = form.is_valid() and _run(
        form, actions.create_api_token, user, user, form.cleaned_data["name"]
    )
    if not created:
        return _profile_page(request, token_form=form, status=400)
    _, raw_key = created
    return _profile_page(request, new_key=raw_key)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(_user(request).api_tokens, pk=token_id)
    actions.revoke_api_token(token, _user(request))
    if _htmx(request):
        return _profile_page(request)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("org-profile")


# --- settings: the organisation ----------------------------------------------------------------


@access.admin_required
def settings_page(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid() and _run(
            form, actions.update_organisation, _user(request), **form.cleaned_data
        ):
            messages.success(request, "The organisation's settings are saved.")
            return redirect("org-settings")
    else:
        form = OrganisationForm(initial={f: getattr(org, f) for f in actions.ORGANISATION_FIELDS})
    status = 400 if form.errors else 200
    counts = {
        "stages": Stage.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True).count(),
        "teams": Team.objects.count(),
    }
    return render(
        request,
        "org/settings.html",
        {"form": form, "section": "organisation", "counts": counts},
        status=status,
    )


# --- settings: stages --------------------------------------------------------------------------


def _stages_page(
    request: HttpRequest,
    form: StageForm | None = None,
    row_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    # An aggregate drops Meta.ordering, so the order is spelled out.
    stages = Stage.objects.annotate(
        open_deals=Count("deals", filter=Q(deals__status=DealStatus.OPEN))
    ).order_by("order", "pk")
    errors = row_errors or {}
    context = {
        "rows": [(stage, errors.get(stage.pk, [])) for stage in stages],
        "form": form or StageForm(),
        "section": "stages",
    }
    if _htmx(request):
        # htmx swaps only 2xx answers, and the table itself carries the error.
        return render(request, "org/_stages_table.html", context)
    return render(request, "org/stages.html", context, status=status)


@access.admin_required
def stages(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _stages_page(request)
    form = StageForm(request.POST)
    stage = form.is_valid() and _run(
        form, pipeline_actions.create_stage, _user(request), **form.cleaned_data
    )
    if not stage:
        return _stages_page(request, form=form, status=400)
    messages.success(request, f"Stage “{stage.name}” added at the end of the pipeline.")
    return redirect("org-stages")


@access.admin_required
def stage_edit(request: HttpRequest, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=stage_id)
    if request.method == "POST":
        form = StageEditForm(request.POST)
        if form.is_valid() and _run(
            form, pipeline_actions.update_stage, stage, _user(request), **form.cleaned_data
        ):
            messages.success(request, f"Stage “{stage.name}” is saved.")
            return redirect("org-stages")
        stage.refresh_from_db()
    else:
        form = StageEditForm(
            initial={f: getattr(stage, f) for f in ("name", "kind", "probability", "is_active")}
        )
    context = {"form": form, "stage": stage, "section": "stages"}
    return render(request, "org/stage_edit.html", context, status=400 if form.errors else 200)


@access.admin_required
@require_POST
def stage_move(request: HttpRequest, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=stage_id)
    ids = list(Stage.objects.values_list("pk", flat=True))
    here = ids.index(stage.pk)
    there = here - 1 if request.POST.get("direction") == "up" else here + 1
    if 0 <= there < len(ids):
        ids[here], ids[there] = ids[there], ids[here]
        pipeline_actions.reorder_stages(_user(request), ids)
    return _stages_page(request) if _htmx(request) else redirect("org-stages")


@access.admin_required
@require_POST
def stage_active(request: HttpRequest, stage_id: int) -> HttpResponse:
    """Retire a stage (it keeps its deals but takes no new ones) or bring it back."""
    stage = get_object_or_404(Stage, pk=stage_id)
    active = request.POST.get("is_active") == "1"
    try:
        pipeline_actions.update_stage(stage, _user(request), is_active=active)
    except ValidationError as exc:
        return _stages_page(request, row_errors={stage.pk: exc.messages}, status=400)
    if _htmx(request):
        return _stages_page(request)
    verb = "is active again" if active else "is retired"
    messages.success(request, f"Stage “{stage.name}” {verb}.")
    return redirect("org-stages")


# --- settings: users ---------------------------------------------------------------------------


@access.admin_required
def users(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    people = User.objects.prefetch_related("teams", "managed_teams")
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(people, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "org/users.html", {"page_obj": page, "q": q, "section": "users"})


@access.admin_required
def user_add(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _run(form, actions.create_user, _user(request), **form.cleaned_data)
        if user:
            messages.success(request, f"{user} can now sign in as {user.email}.")
            return redirect("org-users")
    status = 400 if form.errors else 200
    return render(request, "org/user_add.html", {"form": form, "section": "users"}, status=status)


@access.admin_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        form = UserEditForm(request.POST)
        if form.is_valid() and _run(form, _save_user, person, _user(request), form.cleaned_data):
            if person.pk == request.user.pk:
                # An admin who resets their own password here stays signed in.
                update_session_auth_hash(request, person)
            messages.success(request, f"{person} is saved.")
            return redirect("org-users")
        person.refresh_from_db()
    else:
        fields = ("full_name", "role", "time_zone", "is_active")
        initial: dict[str, Any] = {f: getattr(person, f) for f in fields}
        initial |= {"member_of": person.teams.all(), "manages": person.managed_teams.all()}
        form = UserEditForm(initial=initial)
    context = {"form": form, "person": person, "section": "users"}
    return render(request, "org/user_edit.html", context, status=400 if form.errors else 200)


def _save_user(person: User, by: User, data: dict[str, Any]) -> User:
    # Both actions or neither: a rejected password must not leave a half-edited user.
    with transaction.atomic():
        password = data.pop("password", "")
        actions.update_user(person, by, **data)
        if password:
            actions.set_password(person, by, password)
    return person


# --- settings: teams ---------------------------------------------------------------------------


@access.admin_required
def teams(request: HttpRequest) -> HttpResponse:
    all_teams = (
        Team.objects.prefetch_related("managers", "members")
        .annotate(open_deals=Count("deals", filter=Q(deals__status=DealStatus.OPEN)))
        .order_by("name")
    )
    return render(request, "org/teams.html", {"teams": all_teams, "section": "teams"})


@access.admin_required
def team_add(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = _run(form, actions.create_team, _user(request), **form.cleaned_data)
        if team:
            messages.success(request, f"Team {team} is created.")
            return redirect("org-teams")
    status = 400 if form.errors else 200
    return render(request, "org/team_form.html", {"form": form, "section": "teams"}, status=status)


@access.admin_required
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    if request.method == "POST":
        form = TeamForm(request.POST, team=team)
        if form.is_valid() and _run(
            form, actions.update_team, team, _user(request), **form.cleaned_data
        ):
            messages.success(request, f"Team {team} is saved.")
            return redirect("org-teams")
        team.refresh_from_db()
    else:
        initial = {
            "name": team.name,
            "managers": team.managers.all(),
            "members": team.members.all(),
        }
        form = TeamForm(initial=initial, team=team)
    context = {"form": form, "team": team, "section": "teams"}
    return render(request, "org/team_form.html", context, status=400 if form.errors else 200)
