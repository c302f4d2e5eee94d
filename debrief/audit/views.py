"""The audit trail page for admins, filterable, and its CSV export."""

from __future__ import annotations

import itertools

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from debrief.audit.forms import AuditFilterForm
from debrief.audit.models import AuditEntry
from debrief.audit.queries import CSV_HEADER, csv_rows
from debrief.org import access
from debrief.web.csv import csv_response
from debrief.web.htmx import AuthenticatedRequest

PER_PAGE = 50


def _filtered(request: AuthenticatedRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    qs = AuditEntry.objects.select_related("actor")
    if form.is_bound and form.is_valid():
        qs = form.filters().apply(qs)
    elif form.is_bound:
        qs = qs.none()
    return form, qs


@access.admin_required
def audit_trail(request: AuthenticatedRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "page_obj": page, "section": "audit"}
    return render(request, "audit/trail.html", context, status=status)


@access.admin_required
def audit_export(request: AuthenticatedRequest) -> HttpResponseBase:
    form, qs = _filtered(request)
    if form.is_bound and form.errors:
        return render(request, "audit/trail.html", {"form": form, "section": "audit"}, status=400)
    return csv_response("audit-trail.csv", itertools.chain([CSV_HEADER], csv_rows(qs)))
