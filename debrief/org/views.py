"""The user's own page (profile, password, API tokens) and the admin settings pages
(organisation, users, teams; the pipeline's stages are pipeline's own). Every write goes
through an action."""

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
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from debrief.org import access, actions
from debrief.org.forms import (
    ActionPasswordChangeForm,
    ApiTokenForm,
    OrganisationForm,
    ProfileForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    add_action_errors,
)
from debrief.org.models import Organisation, Team, User
from debrief.web.htmx import AuthenticatedRequest as Request
from debrief.web.htmx import is_partial, render_page_or_partial

USERS_PER_PAGE = 50


def _call_or_show_errors(form: Any, action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action for a valid form and return what it returns; if it refuses, put its
    errors beside the form's fields and return None. The action is atomic, so nothing is
    half-saved."""
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
    request: Request,
    form: ProfileForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "form": form or ProfileForm(initial=model_to_dict(user, fields=ProfileForm.base_fields)),
        "token_form": token_form or ApiTokenForm(),
        "tokens": user.api_tokens.all(),
        "new_key": new_key,
        "teams": user.teams.all(),
        "managed_teams": user.managed_teams.all(),
    }
    # htmx swaps only 2xx answers; the token list carries its own errors.
    status = 200 if is_partial(request) else status
    return render_page_or_partial(
        request, "org/profile.html", "org/_tokens.html", context, status=status
    )


@login_required
def profile(request: Request) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _profile_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid() and _call_or_show_errors(
        form, actions.update_user, user, user, **form.cleaned_data
    ):
        messages.success(request, "Your profile is saved.")
        return redirect("org-profile")
    user.refresh_from_db()
    return _profile_page(request, form=form, status=400)


@login_required
@require_POST
def token_create(request: Request) -> HttpResponse:
    user = request.user
    form = ApiTokenForm(request.POST)
    created = form.is_valid() and _call_or_show_errors(
        form, actions.create_api_token, user, user, form.cleaned_data["name"]
    )
    if not created:
        return _profile_page(request, token_form=form, status=400)
    _, raw_key = created
    return _profile_page(request, new_key=raw_key)


@login_required
@require_POST
def token_revoke(request: Request, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    actions.revoke_api_token(token, request.user)
    if is_partial(request):
        return _profile_page(request)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("org-profile")


# --- settings: the organisation ----------------------------------------------------------------


@access.admin_required
def settings_page(request: Request) -> HttpResponse:
    org = Organisation.current()
    if request.method == "POST":
        form = OrganisationForm(request.POST)
        if form.is_valid() and _call_or_show_errors(
            form, actions.update_organisation, request.user, **form.cleaned_data
        ):
            messages.success(request, "The organisation's settings are saved.")
            return redirect("org-settings")
    else:
        form = OrganisationForm(initial=model_to_dict(org, fields=actions.ORGANISATION_FIELDS))
    status = 400 if form.errors else 200
    counts = {
        "users": User.objects.filter(is_active=True).count(),
        "teams": Team.objects.count(),
    }
    return render(
        request,
        "org/settings.html",
        {"form": form, "section": "organisation", "counts": counts},
        status=status,
    )


# --- settings: users ---------------------------------------------------------------------------


@access.admin_required
def users(request: Request) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    people = User.objects.prefetch_related("teams", "managed_teams")
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(people, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "org/users.html", {"page_obj": page, "q": q, "section": "users"})


@access.admin_required
def user_add(request: Request) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _call_or_show_errors(form, actions.create_user, request.user, **form.cleaned_data)
        if user:
            messages.success(request, f"{user} can now sign in as {user.email}.")
            return redirect("org-users")
    status = 400 if form.errors else 200
    return render(request, "org/user_add.html", {"form": form, "section": "users"}, status=status)


@access.admin_required
def user_edit(request: Request, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if request.method == "POST":
        form = UserEditForm(request.POST)
        if form.is_valid() and _call_or_show_errors(
            form, _save_user, person, request.user, form.cleaned_data
        ):
            if person.pk == request.user.pk:
                # An admin who resets their own password here stays signed in.
                update_session_auth_hash(request, person)
            messages.success(request, f"{person} is saved.")
            return redirect("org-users")
        person.refresh_from_db()
    else:
        initial = model_to_dict(person, fields=actions.USER_FIELDS)
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
def teams(request: Request) -> HttpResponse:
    all_teams = (
        Team.objects.prefetch_related("managers", "members")
        # The pipeline's DealStatus.OPEN, spelled out: org does not import the pipeline,
        # which builds on it.
        .annotate(open_deals=Count("deals", filter=Q(deals__status="open")))
        .order_by("name")
    )
    return render(request, "org/teams.html", {"teams": all_teams, "section": "teams"})


@access.admin_required
def team_add(request: Request) -> HttpResponse:
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = _call_or_show_errors(form, actions.create_team, request.user, **form.cleaned_data)
        if team:
            messages.success(request, f"Team {team} is created.")
            return redirect("org-teams")
    status = 400 if form.errors else 200
    return render(request, "org/team_form.html", {"form": form, "section": "teams"}, status=status)


@access.admin_required
def team_edit(request: Request, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    if request.method == "POST":
        form = TeamForm(request.POST, team=team)
        if form.is_valid() and _call_or_show_errors(
            form, actions.update_team, team, request.user, **form.cleaned_data
        ):
            messages.success(request, f"Team {team} is saved.")
            return redirect("org-teams")
        team.refresh_from_db()
    else:
        initial = model_to_dict(team, fields=TeamForm.base_fields)
        form = TeamForm(initial=initial, team=team)
    context = {"form": form, "team": team, "section": "teams"}
    return render(request, "org/team_form.html", context, status=400 if form.errors else 200)
