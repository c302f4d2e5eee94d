"""The insights pages (an overview, then one page per metric with its CSV) and the CSV
exports of deals, losses, debriefs and lessons."""

from __future__ import annotations

from django.urls import path

from debrief.insights import views

urlpatterns = [
    path("insights/", views.overview, name="insights-overview"),
    path("insights/<slug:metric>/", views.metric, name="insights-metric"),
    path("insights/<slug:metric>/export.csv", views.metric_csv, name="insights-metric-csv"),
    path("exports/deals.csv", views.export, {"kind": "deals"}, name="insights-export-deals"),
    path("exports/losses.csv", views.export, {"kind": "losses"}, name="insights-export-losses"),
    path(
        "exports/debriefs.csv", views.export, {"kind": "debriefs"}, name="insights-export-debriefs"
    ),
    path("exports/lessons.csv", views.export, {"kind": "lessons"}, name="insights-export-lessons"),
]
