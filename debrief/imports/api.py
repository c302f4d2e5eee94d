"""The imports API: admins follow import runs (status, progress and report). Files are
imported from the settings page or with `debrief import`, which share the one action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from debrief.imports.models import ImportRun
from debrief.org import access
from debrief.org.api import (
    READ_ERRORS,
    PageQuery,
    current_user,
    first_or_404,
    paginate,
)

imports_router = Router(tags=["imports"])


class ImportRunOut(Schema):
    id: int
    format: str
    file_names: list[str]
    status: str = Field(description="queued, running, done or failed.")
    dry_run: bool
    rows_total: int
    rows_done: int
    percent: int = Field(description="How far along, 0–100.")
    created_by_id: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str = Field(description="Why a failed run failed; empty otherwise.")
    report: dict[str, Any] = Field(
        description="Counts (created, updated, unchanged, skipped, duplicates), created and "
        "mapped stages and reasons, reconciliations and row errors "
        "[{row, column, value, message}]; see docs/imports.md."
    )


class ImportRunPage(Schema):
    count: int
    items: list[ImportRunOut]


def _runs(request: HttpRequest) -> QuerySet[ImportRun]:
    # Imports are an admin's settings: to anyone else they do not exist.
    if not access.is_admin(current_user(request)):
        raise Http404("No such record.")
    return ImportRun.objects.all()


@imports_router.get("", response={200: ImportRunPage, **READ_ERRORS}, summary="List import runs")
def list_import_runs(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Import runs, newest first (admins only)."""
    return paginate(_runs(request), page)


@imports_router.get(
    "/{run_id}", response={200: ImportRunOut, **READ_ERRORS}, summary="Get an import run"
)
def get_import_run(request: HttpRequest, run_id: int) -> ImportRun:
    """One import run: its status, progress and report (admins only)."""
    return first_or_404(_runs(request).filter(pk=run_id))
