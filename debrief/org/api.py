"""The org part of the REST API (who am I, users, teams), and what every router shares:
authentication by API token or browser session, the error schema, and limit/offset pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from debrief.org import access
from debrief.org import actions as org_actions
from debrief.org.models import Team, User

# --- authentication -----------------------------------------------------------------------


def _refuse_read_only_writes(request: HttpRequest, user: User) -> User:
    """Analysts change nothing: a write answers 403 before its body is even read, so they
    never see validation errors for a request they may not make at all."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not access.can_write(user):
        raise HttpError(403, access.READ_ONLY)
    return user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <key>` with a per-user key made on the profile page or by
    `debrief token create EMAIL`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = org_actions.authenticate_api_token(token.strip())
        if user is None:
            # Read by the 401 handler, to tell a wrong key from a missing one.
            request.api_token_rejected = True  # type: ignore[attr-defined]
            return None
        return _refuse_read_only_writes(request, user)


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser's session, so pages can call the API. Unlike ninja's own, it
    checks CSRF only once it has found a session: a script without a cookie gets a 401,
    not a confusing CSRF failure."""

    def __call__(self, request: HttpRequest) -> User | None:
        if request.headers.get("Authorization"):
            return None  # a request that brings a token is judged by the token alone
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise HttpError(
                403,
                "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
                "header, or use an API token instead of the session.",
            )
        return _refuse_read_only_writes(request, cast(User, user))


AUTH = [ApiTokenAuth(), BrowserSessionAuth()]


def current_user(request: HttpRequest) -> User:
    """The user the request authenticated as (by token or session)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


# --- errors and pages ---------------------------------------------------------------------


class ErrorItem(Schema):
    field: str | None = Field(description="The field or parameter at fault; null if none.")
    message: str


class ErrorOut(Schema):
    """The one shape of every 4xx answer."""

    detail: str = Field(description="One sentence saying what went wrong.")
    errors: list[ErrorItem]


READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIST_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ErrorOut}
# 400: the body is not JSON (ninja answers before the view runs).
WRITE_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}

MAX_LIMIT = 500
# Past any real list, and small enough for every database's OFFSET (SQLite's is 64-bit).
MAX_OFFSET = 1_000_000_000


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page, 1–{MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


def paginate(qs: QuerySet[Any], page: PageQuery) -> dict[str, Any]:
    """`{"count": total, "items": [...]}`: one COUNT and one SELECT, whatever the page size."""
    return {"count": qs.count(), "items": list(qs[page.offset : page.offset + page.limit])}


def search(qs: QuerySet[Any], q: str, *fields: str) -> QuerySet[Any]:
    """Narrow a queryset to rows where any of the fields contains `q`."""
    q = q.strip()
    if not q:
        return qs
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return qs.filter(condition)


def first_or_404[M](qs: QuerySet[Any, M]) -> M:
    obj = qs.first()
    if obj is None:
        raise Http404("No such record.")
    return obj


class SearchQuery(PageQuery):
    q: str = Field("", description="Search text.")


class UserQuery(SearchQuery):
    role: str = Field("", description="Only users with this role: rep, manager, admin, analyst.")


# --- schemas ------------------------------------------------------------------------------


class TeamRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    name: str = Field(alias="full_name")
    email: str


class UserOut(Schema):
    id: int
    email: str
    name: str = Field(alias="full_name")
    role: str = Field(description="rep, manager, admin or analyst.")
    time_zone: str
    is_active: bool
    teams: list[TeamRef] = Field(description="Teams the user is a member of.")
    managed_teams: list[TeamRef] = Field(description="Teams the user manages.")
    created_at: dt.datetime


class UserPage(Schema):
    count: int
    items: list[UserOut]


class TeamOut(Schema):
    id: int
    name: str
    managers: list[UserRef]
    members: list[UserRef]
    created_at: dt.datetime
    updated_at: dt.datetime


class TeamPage(Schema):
    count: int
    items: list[TeamOut]


def _users(request: HttpRequest) -> QuerySet[User]:
    return access.users_visible_to(current_user(request)).prefetch_related(
        Prefetch("teams", queryset=Team.objects.only("id", "name")),
        Prefetch("managed_teams", queryset=Team.objects.only("id", "name")),
    )


def _teams(request: HttpRequest) -> QuerySet[Team]:
    people = User.objects.only("id", "full_name", "email")
    return access.teams_visible_to(current_user(request)).prefetch_related(
        Prefetch("managers", queryset=people), Prefetch("members", queryset=people)
    )


# --- routes -------------------------------------------------------------------------------

me_router = Router(tags=["users and teams"])
users_router = Router(tags=["users and teams"])
teams_router = Router(tags=["users and teams"])


@me_router.get("", response={200: UserOut, 401: ErrorOut}, summary="Who am I")
def me(request: HttpRequest) -> User:
    """The user this token or session belongs to, with their role and teams."""
    return _users(request).get(pk=current_user(request).pk)


@users_router.get("", response={200: UserPage, **LIST_ERRORS}, summary="List users")
def list_users(
    request: HttpRequest,
    page: Query[UserQuery],
) -> dict[str, Any]:
    """Everyone with an account, by name. Search `q` matches name and email."""
    qs = search(_users(request), page.q, "full_name", "email")
    if page.role:
        qs = qs.filter(role=page.role)
    return paginate(qs, page)


@users_router.get("/{user_id}", response={200: UserOut, **READ_ERRORS}, summary="Get a user")
def get_user(request: HttpRequest, user_id: int) -> User:
    return first_or_404(_users(request).filter(pk=user_id))


@teams_router.get("", response={200: TeamPage, **LIST_ERRORS}, summary="List teams")
def list_teams(request: HttpRequest, page: Query[SearchQuery]) -> dict[str, Any]:
    """Every team, with its managers and members."""
    return paginate(search(_teams(request), page.q, "name"), page)


@teams_router.get("/{team_id}", response={200: TeamOut, **READ_ERRORS}, summary="Get a team")
def get_team(request: HttpRequest, team_id: int) -> Team:
    return first_or_404(_teams(request).filter(pk=team_id))


class BodyIds:
    """Swaps the ids of a request body for the records they name, collecting every unknown
    id under its field, so one answer lists all of them and nothing is saved."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def one[M: Model](self, qs: QuerySet[M], pk: int | None, field: str, what: str) -> M | None:
        if pk is None:
            return None
        record = qs.filter(pk=pk).first()
        if record is None:
            self.errors[field] = f"No {what} with id {pk}."
        return record

    def many[M: Model](self, qs: QuerySet[M], ids: Iterable[int], field: str, what: str) -> list[M]:
        wanted = list(dict.fromkeys(ids))
        found = qs.in_bulk(wanted)
        missing = [pk for pk in wanted if pk not in found]
        if missing:
            self.errors[field] = f"No {what} with id {', '.join(map(str, missing))}."
        return [found[pk] for pk in wanted if pk in found]

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
