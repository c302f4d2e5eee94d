"""The imports settings pages (admins only): the list of import runs with the upload form, and
one run's live progress and report, its row errors downloadable as CSV. The upload is read
under the guards of `imports.forms`; the import itself is `imports.actions.start_import`, run
by a task worker."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from debrief.imports import actions
from debrief.imports.formats import FORMATS
from debrief.imports.forms import (
    ImportForm,
    Upload,
    human_size,
    max_upload_bytes,
    store_files,
)
from debrief.imports.models import ImportRun
from debrief.org import access
from debrief.web.csv import csv_response, safe_cell
from debrief.web.htmx import AuthenticatedRequest as Request
from debrief.web.htmx import render_page_or_partial

RUNS_PER_PAGE = 25
FORMAT_CHOICES = [(name, fmt.label) for name, fmt in FORMATS.items()]


def _format_label(name: str) -> str:
    fmt = FORMATS.get(name)
    return fmt.label if fmt else name


def _form(*args: Any, **kwargs: Any) -> ImportForm:
    return ImportForm(*args, formats=FORMAT_CHOICES, **kwargs)


def _list_page(
    request: Request, form: ImportForm, *, status: int = 200, problems: list[str] | None = None
) -> HttpResponse:
    """The list of runs and the upload form; `problems` are errors of the upload as a whole
    (shown above the form, whose fields keep what was chosen)."""
    runs = ImportRun.objects.select_related("created_by")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    for run in page:
        run.format_label = _format_label(run.format)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page_obj": page,
        "section": "imports",
        "max_size": human_size(max_upload_bytes()),
        "problems": problems or [],
    }
    return render(request, "imports/imports.html", context, status=status)


# The CSRF check waits until the upload has been read under its guards (see `_upload`):
# reading it is what the check would do first, with Django's unguarded handlers.
@csrf_exempt
@access.admin_required
@require_http_methods(["GET", "POST"])
def imports(request: Request) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request, _form())
    if request.content_type != "multipart/form-data":
        problem = "Send the files as a form upload (multipart/form-data)."
        return _list_page(
            request, _form(initial=request.POST.dict()), status=400, problems=[problem]
        )
    try:
        upload = Upload(request)
    except MultiPartParserError as error:
        problem = f"The upload could not be read ({error}); send it again."
        return _list_page(request, _form(), status=400, problems=[problem])
    try:
        return _upload(request, upload)
    finally:
        upload.close()


@csrf_protect
def _upload(request: Request, upload: Upload) -> HttpResponse:
    problems = upload.problems()
    if problems:
        # Nothing is checked further: the files that did arrive are dropped unread, and the
        # fields keep what was chosen (those sent after a cut-off upload are lost).
        form = _form(initial=request.POST.dict())
        return _list_page(request, form, status=400, problems=problems)
    form = _form(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    run = _start(request, form.cleaned_data)
    return redirect("imports-run", run_id=run.pk)


def _start(request: Request, data: dict[str, Any]) -> ImportRun:
    """Queue the import with its files in VAR_DIR/imports/<run id>/. The folder is named after
    the run, which exists only once `start_import` has made it: the files are stored and the
    run told where they are in the same transaction, before the task is queued (on commit).
    If anything fails, the run is rolled back and the folder removed."""
    uploads = data["csv_files"]
    folder: Path | None = None

    def store(run: ImportRun) -> list[Path]:
        nonlocal folder
        folder = Path(settings.VAR_DIR) / "imports" / str(run.pk)
        if folder.exists():  # left by a run the database has forgotten (a restore)
            shutil.rmtree(folder)
        return store_files(uploads, folder)

    try:
        with transaction.atomic():
            run = actions.start_import(
                [],
                data["format"],
                by=request.user,
                mapping=data["mapping"],
                dry_run=data["dry_run"],
                skip_invalid=data["skip_invalid"],
                encoding=data["encoding"] or None,
                file_names=[u.name for u in uploads],
                store=store,
            )
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return run


@access.admin_required
@require_GET
def run_page(request: Request, run_id: int) -> HttpResponse:
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=run_id)
    run.format_label = _format_label(run.format)  # type: ignore[attr-defined]
    context = {"run": run, "section": "imports"}
    return render_page_or_partial(
        request, "imports/run.html", "imports/partials/run_body.html", context
    )


@access.admin_required
@require_GET
def run_errors_csv(request: Request, run_id: int) -> HttpResponseBase:
    run = get_object_or_404(ImportRun, pk=run_id)
    columns = ("row", "column", "value", "message")
    rows = ([safe_cell(error.get(k) or "") for k in columns] for error in run.error_rows())
    return csv_response(f"import-{run.pk}-errors.csv", itertools.chain([columns], rows))
