"""The insights pages: an overview of every metric's headline, one page per metric with its
pickers, chart, table and CSV, and the CSV exports of deals, losses, debriefs and lessons.
What each user's figures cover is decided by `insights.metrics`; exports by `org.access`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from debrief.insights import charts, exports
from debrief.insights.forms import PRESETS, InsightForm, attribute_headers, preset_period
from debrief.insights.metrics import (
    ATTRIBUTE_PREFIX,
    DIMENSIONS,
    METRICS,
    TOO_FEW,
    Metric,
    MetricError,
    Result,
    compute,
)
from debrief.org.models import Organisation
from debrief.web.csv import csv_response
from debrief.web.htmx import AuthenticatedRequest, is_partial, render_page_or_partial

# What a metric's "too few" counts, to say so plainly.
COUNTED = {
    "win-rate": "closed deals",
    "loss-reasons": "losses",
    "outcome-types": "losses",
    "competitors": "losses",
    "reason-gap": "decisive reasons on one side",
    "sales-cycle": "closed deals",
    "meeting-outcomes": "meetings with a recorded outcome",
    "time-to-mend": "mended or lost relationships",
    "loop-health": "losses",
}


def _metric(name: str) -> Metric:
    found = METRICS.get(name)
    if found is None:
        raise Http404("No such insight.")
    return found


def dimension_choices(m: Metric) -> list[tuple[str, str]]:
    """The `by` choices a metric offers, imported columns included when it takes them."""
    choices = [(d, DIMENSIONS[d]) for d in m.dimensions if d in DIMENSIONS]
    if "attr" in m.dimensions:
        choices += [(ATTRIBUTE_PREFIX + h, f"{h} (imported)") for h in attribute_headers()]
    return choices


def _pickers(request: AuthenticatedRequest, m: Metric | None) -> tuple[InsightForm, bool]:
    """The bound pickers, and whether a preset chose the period. A preset becomes its two
    dates, so the page (and its address) always shows the period it covers."""
    data = request.GET.copy()
    preset = data.pop("preset", [""])[-1]
    if preset in PRESETS:
        fiscal = Organisation.current().fiscal_year_start_month
        start, end = preset_period(preset, timezone.localdate(), fiscal)
        data["from"], data["to"] = start.isoformat(), end.isoformat()
    form = InsightForm(data, dimensions=dimension_choices(m) if m else [])
    return form, preset in PRESETS


def _query(form: InsightForm) -> str:
    """The canonical query string of valid pickers: by, from, to (empty ones left out)."""
    q = QueryDict(mutable=True)
    for key in ("by", "from", "to"):
        value = form.cleaned_data.get(key)
        if value:
            q[key] = value.isoformat() if isinstance(value, dt.date) else value
    return q.urlencode()


def _table(result: Result) -> dict[str, Any]:
    """Header, rows and the overall row as display strings, in the result's column order."""
    keys = [k for k, _ in result.columns]
    labels = dict(result.columns)

    def cells(row: dict[str, Any]) -> list[dict[str, str]]:
        return [
            {"label": labels[k], "value": charts.display(result.metric, k, row) if k in row else ""}
            for k in keys
        ]

    overall = result.overall
    total = None
    if any(k in overall for k in keys[1:]):
        total = cells({**overall, keys[0]: overall.get(keys[0], "All")})
    return {
        "header": [label for _, label in result.columns],
        "rows": [cells(r) for r in result.rows],
        "total": total,
    }


def _period_label(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{start:%-d %b %Y} to {end:%-d %b %Y}"
    if start:
        return f"Since {start:%-d %b %Y}"
    if end:
        return f"Until {end:%-d %b %Y}"
    return "All time"


@require_GET
@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Every metric's headline for the chosen period, each linking to its page."""
    form, preset = _pickers(request, None)
    cards = []
    valid = form.is_valid()
    if valid:
        start, end = form.cleaned_data["from"], form.cleaned_data["to"]
        query = _query(form)
        for name, m in METRICS.items():
            result = compute(request.user, name, start=start, end=end)
            url = reverse("insights-metric", args=[name]) + (f"?{query}" if query else "")
            cards.append(
                {"m": m, "url": url, "headline": charts.headline(result), "result": result}
            )
    context = {
        "form": form,
        "cards": cards,
        "presets": PRESETS,
        "period_label": _period_label(form.cleaned_data.get("from"), form.cleaned_data.get("to")),
        "oob_period": (preset or not valid) and is_partial(request),
    }
    response = render_page_or_partial(
        request,
        "insights/overview.html",
        "insights/partials/overview_body.html",
        context,
        status=200 if valid or is_partial(request) else 400,
    )
    if valid and is_partial(request):
        response["HX-Push-Url"] = request.path + (f"?{_query(form)}" if _query(form) else "")
    return response


@require_GET
@login_required
def metric(request: AuthenticatedRequest, metric: str) -> HttpResponse:
    """One metric: its headline, chart (benchmark drawn in), table and CSV, grouped by the
    chosen dimension over the chosen period. To HTMX, just the part below the pickers."""
    m = _metric(metric)
    form, preset = _pickers(request, m)
    dimensions = dict(form.fields["by"].choices)  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "m": m,
        "form": form,
        "presets": PRESETS,
        "has_dimensions": len(dimensions) > 1,
        "too_few": TOO_FEW,
        "counted": COUNTED.get(m.name, "records"),
        "oob_period": preset and is_partial(request),
    }
    status = 400
    if form.is_valid():
        cd = form.cleaned_data
        try:
            result = compute(
                request.user, m.name, by=cd["by"] or None, start=cd["from"], end=cd["to"]
            )
        except MetricError as exc:
            form.add_error(None, str(exc))
        else:
            status = 200
            query = _query(form)
            suffix = f"?{query}" if query else ""
            context.update(
                result=result,
                headline=charts.headline(result),
                chart=charts.svg(result),
                table=_table(result),
                csv_url=reverse("insights-metric-csv", args=[m.name]) + suffix,
                page_url=request.path + suffix,
                period_label=_period_label(cd["from"], cd["to"]),
                group_label=dimensions.get(cd["by"], "") if cd["by"] else "",
            )
    if status != 200 and is_partial(request):
        # HTMX swaps only 2xx answers: the errors come back as a 200 fragment, with the dates
        # swapped too so each error shows next to its field.
        context["oob_period"], status = True, 200
    response = render_page_or_partial(
        request,
        "insights/metric.html",
        "insights/partials/metric_body.html",
        context,
        status=status,
    )
    if is_partial(request) and "page_url" in context:
        # A preset arrives as ?preset=; the address bar shows the dates it stood for.
        response["HX-Push-Url"] = context["page_url"]
    return response


@require_GET
@login_required
def metric_csv(request: AuthenticatedRequest, metric: str) -> HttpResponseBase:
    """The table of a metric page as CSV: raw figures (shares as fractions), overall last."""
    m = _metric(metric)
    form, _ = _pickers(request, m)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    cd = form.cleaned_data
    try:
        result = compute(request.user, m.name, by=cd["by"] or None, start=cd["from"], end=cd["to"])
    except MetricError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    keys = [k for k, _ in result.columns]
    rows: list[list[Any]] = [[label for _, label in result.columns]]
    rows += [[exports.cell(r.get(k)) for k in keys] for r in result.rows]
    overall = result.overall
    if any(k in overall for k in keys[1:]):
        rows.append(
            [exports.cell(overall.get(k, "All" if i == 0 else None)) for i, k in enumerate(keys)]
        )
    parts = [m.name, slugify(cd["by"] or ""), *(d.isoformat() for d in (cd["from"], cd["to"]) if d)]
    return csv_response(f"debrief-{'-'.join(p for p in parts if p)}.csv", rows)


@require_GET
@login_required
def export(request: AuthenticatedRequest, kind: str) -> HttpResponseBase:
    """deals.csv, losses.csv, debriefs.csv, lessons.csv: what the user may see, streamed."""
    return exports.export_response(request.user, kind)
