"""Every write to users, teams, the organisation's settings and API tokens, and the count of
failed sign-ins."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from debrief.org.models import ApiToken, Organisation, Role, SignInFailure, Team, User

ORGANISATION_FIELDS = (
    "name",
    "currency",
    "fiscal_year_start_month",
    "debrief_cool_off_days",
    "major_deal_threshold",
    "post_mortem_contact_days",
    "losing_streak_length",
    "full_plan_threshold",
    "marketing_contact_email",
    "product_contact_email",
)
USER_FIELDS = ("full_name", "role", "time_zone", "is_active")


@transaction.atomic
def update_organisation(by: User | None, **changes: Any) -> Organisation:
    org = Organisation.current()
    changed = [k for k in ORGANISATION_FIELDS if k in changes and getattr(org, k) != changes[k]]
    for name in changed:
        setattr(org, name, changes[name])
    if "currency" in changed:
        org.currency = org.currency.upper()
    org.full_clean()
    if changed:
        org.save(update_fields=[*changed, "updated_at"])
    return org


def _check_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": f"Unknown time zone {name!r}."})


@transaction.atomic
def create_user(
    by: User | None,
    *,
    email: str,
    full_name: str,
    role: str = Role.REP,
    password: str | None = None,
    teams: Iterable[Team] = (),
    time_zone: str = "UTC",
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"{email} already has an account."})
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role {role!r}; use one of {', '.join(Role.values)}."}
        )
    _check_time_zone(time_zone)
    team_list = list(teams)
    if team_list and role == Role.ANALYST:
        raise ValidationError({"teams": "Analysts read across teams and are not members."})
    user = User(email=email, full_name=full_name.strip(), role=role, time_zone=time_zone)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            # Keyed by field, like every other rule, so forms show it beside the password.
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    for team in team_list:
        if role == Role.MANAGER:
            team.managers.add(user)
        else:
            team.members.add(user)
    return user


@transaction.atomic
def update_user(
    user: User,
    by: User | None,
    *,
    member_of: Iterable[Team] | None = None,
    manages: Iterable[Team] | None = None,
    **changes: Any,
) -> User:
    """Change a user's fields and, when given, the teams they belong to and manage."""
    if "time_zone" in changes:
        _check_time_zone(changes["time_zone"])
    if "role" in changes and changes["role"] not in Role.values:
        raise ValidationError({"role": f"Unknown role {changes['role']!r}."})
    if by is not None and user.pk == by.pk:
        if changes.get("is_active") is False:
            raise ValidationError({"is_active": "You cannot close your own account."})
        if changes.get("role", user.role) != Role.ADMIN and user.role == Role.ADMIN:
            raise ValidationError({"role": "You cannot remove your own admin access."})
    changed = [k for k in USER_FIELDS if k in changes and getattr(user, k) != changes[k]]
    for name in changed:
        setattr(user, name, changes[name])
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=[*changed, "updated_at"])
    _set_user_teams(user, member_of, manages)
    return user


def _set_user_teams(
    user: User, member_of: Iterable[Team] | None, manages: Iterable[Team] | None
) -> None:
    if manages is not None:
        managed = list(manages)
        if managed and user.role not in (Role.MANAGER, Role.ADMIN):
            raise ValidationError(
                {"manages": f"Only managers manage teams; {user} is a {user.get_role_display()}."}
            )
        user.managed_teams.set(managed)
    if member_of is not None:
        teams = list(member_of)
        if teams and user.role == Role.ANALYST:
            raise ValidationError({"member_of": "Analysts read across teams and are not members."})
        user.teams.set(teams)


@transaction.atomic
def set_password(user: User, by: User | None, password: str) -> User:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_team(
    by: User | None, *, name: str, managers: Iterable[User] = (), members: Iterable[User] = ()
) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A team needs a name."})
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a team called {name}."})
    team = Team.objects.create(name=name)
    _set_team_people(team, managers, members)
    return team


@transaction.atomic
def update_team(
    team: Team,
    by: User | None,
    *,
    name: str | None = None,
    managers: Iterable[User] | None = None,
    members: Iterable[User] | None = None,
) -> Team:
    if name is not None and name.strip() != team.name:
        if Team.objects.filter(name__iexact=name.strip()).exclude(pk=team.pk).exists():
            raise ValidationError({"name": f"There is already a team called {name}."})
        team.name = name.strip()
        team.save(update_fields=["name", "updated_at"])
    _set_team_people(
        team,
        managers if managers is not None else team.managers.all(),
        members if members is not None else team.members.all(),
    )
    return team


def _set_team_people(team: Team, managers: Iterable[User], members: Iterable[User]) -> None:
    manager_list, member_list = list(managers), list(members)
    not_managers = [u for u in manager_list if u.role not in (Role.MANAGER, Role.ADMIN)]
    if not_managers:
        names = ", ".join(str(u) for u in not_managers)
        raise ValidationError({"managers": f"Only managers can manage a team: {names}."})
    analysts = [u for u in member_list if u.role == Role.ANALYST]
    if analysts:
        names = ", ".join(str(u) for u in analysts)
        raise ValidationError(
            {"members": f"Analysts read across teams and are not members: {names}."}
        )
    team.managers.set(manager_list)
    team.members.set(member_list)


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def create_api_token(user: User, by: User | None, name: str) -> tuple[ApiToken, str]:
    """Make a token; returns it with the raw key, which is never stored nor shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash_key(raw), key_hint=raw[:8]
    )
    return token, raw


@transaction.atomic
def revoke_api_token(token: ApiToken, by: User | None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(raw: str) -> User | None:
    """The active user behind a raw key, noting when the key was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Once a minute is precise enough and spares a write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- sign-in throttling -------------------------------------------------------------------


def _client_address(request: HttpRequest | None) -> str | None:
    """The client's address. Behind a reverse proxy (BEHIND_PROXY, docs/deploy.md) it is the
    last X-Forwarded-For entry, the one our proxy wrote; otherwise every client would share
    the proxy's address, and its lock."""
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:45]
    return request.META.get("REMOTE_ADDR") or None


def sign_in_locked_until(email: str, request: HttpRequest | None) -> dt.datetime | None:
    return SignInFailure.locked_until(email, _client_address(request))


def record_sign_in_failure(email: str, request: HttpRequest | None) -> None:
    """Count a failed sign-in, unless the account or address is already locked (attempts
    while locked don't prolong the lock). Failures older than a day are forgotten."""
    email = email.strip().lower()[:254]
    address = _client_address(request)
    if SignInFailure.locked_until(email, address) is not None:
        return
    SignInFailure.objects.create(email=email, address=address)
    SignInFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()
