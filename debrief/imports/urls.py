"""The imports pages, among the admin settings under /settings/."""

from __future__ import annotations

from django.urls import path

from debrief.imports import views

urlpatterns = [
    path("settings/imports/", views.imports, name="imports-list"),
    path("settings/imports/<int:run_id>/", views.run_page, name="imports-run"),
    path(
        "settings/imports/<int:run_id>/errors.csv", views.run_errors_csv, name="imports-run-errors"
    ),
]
