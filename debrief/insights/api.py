"""The insights API: metrics by dimension and period, and CSV exports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema

from debrief.insights import exports, metrics
from debrief.org.api import ErrorOut, current_user

insights_router = Router(tags=["insights"])
exports_router = Router(tags=["exports"])


# --- exports ------------------------------------------------------------------------------

_CSV_RESPONSES: dict[int, Any] = {401: ErrorOut}


def _csv_doc(what: str) -> dict[str, Any]:
    return {
        "responses": {
            "200": {
                "description": (
                    f"{what} you may see, one row each, oldest first: UTF-8 CSV with a byte "
                    "order mark, text that a spreadsheet would run as a formula prefixed "
                    "with a quote. Streamed, so any size downloads."
                ),
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    }


@exports_router.get(
    "/deals",
    response=_CSV_RESPONSES,
    summary="Download the deals you may see as CSV",
    openapi_extra=_csv_doc("The deals"),
)
def export_deals(request: HttpRequest) -> StreamingHttpResponse:
    return exports.export_response(current_user(request), "deals")


@exports_router.get(
    "/losses",
    response=_CSV_RESPONSES,
    summary="Download the losses you may see as CSV",
    openapi_extra=_csv_doc("The loss records"),
)
def export_losses(request: HttpRequest) -> StreamingHttpResponse:
    return exports.export_response(current_user(request), "losses")


@exports_router.get(
    "/debriefs",
    response=_CSV_RESPONSES,
    summary="Download the debriefs you may see as CSV",
    openapi_extra=_csv_doc("The debriefs"),
)
def export_debriefs(request: HttpRequest) -> StreamingHttpResponse:
    return exports.export_response(current_user(request), "debriefs")


@exports_router.get(
    "/lessons",
    response=_CSV_RESPONSES,
    summary="Download the lessons you may see as CSV",
    openapi_extra=_csv_doc("The lessons"),
)
def export_lessons(request: HttpRequest) -> StreamingHttpResponse:
    return exports.export_response(current_user(request), "lessons")


# --- insights ------------------------------------------------------------------------------


class InsightColumnOut(Schema):
    key: str
    label: str


class InsightOut(Schema):
    """One metric's figures, as `debrief insights METRIC --json` prints them."""

    metric: str
    by: str | None
    start: str | None = Field(None, alias="from", description="First day of the period.")
    end: str | None = Field(None, alias="to", description="Last day of the period.")
    columns: list[InsightColumnOut]
    rows: list[dict[str, Any]] = Field(description="One row per group, sorted by group.")
    overall: dict[str, Any]
    benchmark: dict[str, Any] | None
    too_few: bool = Field(description="Too few records for the figures to mean much.")
    notes: list[str]


class MetricOut(Schema):
    name: str
    label: str
    description: str
    dimensions: list[str]


class InsightsIndexOut(Schema):
    metrics: list[MetricOut]
    dimensions: dict[str, str]


@insights_router.get(
    "",
    response={200: InsightsIndexOut, 401: ErrorOut},
    summary="List the metrics and the dimensions they can be grouped by",
)
def list_insights(request: HttpRequest) -> dict[str, Any]:
    current_user(request)
    return {
        "metrics": [
            {
                "name": m.name,
                "label": m.label,
                "description": m.description,
                "dimensions": [d if d != "attr" else "attr:<column>" for d in m.dimensions],
            }
            for m in metrics.METRICS.values()
        ],
        "dimensions": metrics.DIMENSIONS,
    }


@insights_router.get(
    "/{metric}",
    response={200: InsightOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Show a metric, grouped by a dimension over a period, for what you may see",
    by_alias=True,
)
def show_insight(
    request: HttpRequest,
    metric: str,
    by: str | None = None,
    start: str | None = Query(None, alias="from"),  # type: ignore[type-arg]
    end: str | None = Query(None, alias="to"),  # type: ignore[type-arg]
) -> dict[str, Any]:
    user = current_user(request)
    if metric not in metrics.METRICS:
        raise Http404(f"No metric {metric!r}.")
    period = {}
    for name, value in (("from", start), ("to", end)):
        try:
            period[name] = metrics.parse_date(value, name)
        except metrics.MetricError as exc:
            raise ValidationError({name: str(exc)}) from exc
    try:
        result = metrics.compute(user, metric, by=by, start=period["from"], end=period["to"])
    except metrics.MetricError as exc:
        raise ValidationError({"by" if by else "to": str(exc)}) from exc
    return result.as_json()
