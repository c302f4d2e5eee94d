"""Answers kept until the data behind them changes: a list that costs a scan of every deal
is computed once per user and data version, then served from the cache.

Each body of data has a version (`DataVersion`): the apps that own it call `changed(name)`
from their signal handlers, inside the writer's transaction. A request reads the version
first and the data second, so an answer can only be stored under a version as old as or
older than its data; a change always makes the next request compute afresh. A cache entry
also expires after `TIMEOUT` seconds, and nothing is kept while there is no version yet.

Pages are stored without what must differ per answer: the CSP nonce and the CSRF token are
replaced by markers and filled in afresh on every hit."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import _unmask_cipher_token, get_token  # type: ignore[attr-defined]
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from debrief.web.models import DataVersion

TIMEOUT = 600
NONCE_MARK = b"@@debrief-csp-nonce@@"
CSRF_MARK = b"@@debrief-csrf-token@@"
_VERSION_SQL = f"SELECT token FROM {DataVersion._meta.db_table} WHERE name = %s"
_MASKED = re.compile(rb"\b[A-Za-z0-9]{64}\b")


def version(name: str) -> str | None:
    """The current version of a body of data, or None before its first recorded change."""
    # Plain SQL: this runs on every kept answer, and compiling the ORM query costs more than
    # the database takes to answer it.
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [name])
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def changed(name: str) -> None:
    """Record that the data changed: a new random version, saved with the change itself.

    On PostgreSQL the version row is locked until the writer commits. A writer that finds it
    locked by another does not wait there (holding its own rows, it could deadlock with that
    other writer): it replaces the version right after its own commit instead. For that
    moment the old version is current, and answers kept under it may not show this change."""
    if connection.features.has_select_for_update_skip_locked and connection.in_atomic_block:
        mine = DataVersion.objects.select_for_update(skip_locked=True).filter(name=name)
        locked_by_another = (
            not list(mine.values_list("name", flat=True))
            and DataVersion.objects.filter(name=name).exists()
        )
        if locked_by_another:
            transaction.on_commit(partial(_replace, name))
            return
    _replace(name)


def _replace(name: str) -> None:
    token = uuid.uuid4().hex
    if DataVersion.objects.filter(name=name).update(token=token, changed_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(name=name, token=token)
    except IntegrityError:  # created meanwhile by another writer
        DataVersion.objects.filter(name=name).update(token=token, changed_at=timezone.now())


def _key(kind: str, data_version: str, request: HttpRequest, parts: Iterable[object]) -> str:
    text = "\x1f".join(str(part) for part in (kind, data_version, request.get_full_path(), *parts))
    return "answer:" + hashlib.sha256(text.encode()).hexdigest()


def cached_page(
    request: HttpRequest,
    data: str,
    parts: Iterable[object],
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page `render` makes, kept until `data` changes. `parts` are whatever else the page
    depends on (the user, their time zone, today's date, the HTMX target…); the full path is
    always part of the key. Only plain 200 answers are kept, and none while a message waits
    to be shown (showing it is a side effect)."""
    current = version(data)
    if current is None or request.method != "GET" or _has_messages(request):
        return render()
    key = _key("page", current, request, parts)
    kept = cache.get(key)
    if kept is not None:
        content, headers = kept
        content = content.replace(NONCE_MARK, _nonce(request).encode())
        if CSRF_MARK in content:
            content = content.replace(CSRF_MARK, get_token(request).encode())
        response = HttpResponse(content)
        for header, value in headers:
            response.headers[header] = value
        return response
    response = render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        page = response.content
        used_nonce = _nonce(request)
        if used_nonce:
            page = page.replace(used_nonce.encode(), NONCE_MARK)
        page = _mark_csrf_tokens(request, page)
        cache.set(key, (page, list(response.headers.items())), TIMEOUT)
    return response


def cached_json(
    request: HttpRequest,
    data: str,
    parts: Iterable[object],
    schema: type[BaseModel],
    result: Callable[[], Any],
) -> HttpResponse:
    """An API answer kept until `data` changes (as `cached_page`): `result()` validated by the
    operation's response `schema` and encoded as django-ninja encodes it."""
    current = version(data)
    key = _key("json", current, request, parts) if current is not None else ""
    content = cache.get(key) if key else None
    if content is None:
        context = {"request": request, "response_status": 200}
        body = schema.model_validate(result(), context=context).model_dump()
        content = json.dumps(body, cls=NinjaJSONEncoder).encode()
        if key:
            cache.set(key, content, TIMEOUT)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


def _nonce(request: HttpRequest) -> str:
    """This answer's CSP nonce (a lazy value: made on first use, then in the header)."""
    nonce = get_nonce(request)
    return "" if nonce is None else str(nonce)


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def _mark_csrf_tokens(request: HttpRequest, content: bytes) -> bytes:
    """Replace every masked form of this request's CSRF secret by the marker."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content

    def mark(match: re.Match[bytes]) -> bytes:
        token = match.group(0)
        return CSRF_MARK if _unmask_cipher_token(token.decode()) == secret else token

    return _MASKED.sub(mark, content)
