"""Who may use each imports page and API route, for the access matrix in
debrief/org/tests/test_access_matrix.py (the words come from debrief/org/tests/routes.py)."""

from __future__ import annotations

from typing import Any

from debrief.org.tests.routes import ADMINS, Route, _p

# The upload page and a run's pages are settings pages: only admins, everyone else 404.
PAGES: dict[str, Route] = {
    "imports-list": Route("GET", _p("/settings/imports/"), ADMINS),
    "imports-run": Route("GET", _p("/settings/imports/{w.import_run.pk}/"), ADMINS),
    "imports-run-errors": Route(
        "GET", _p("/settings/imports/{w.import_run.pk}/errors.csv"), ADMINS
    ),
}
API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/imports"): Route("GET", _p("/api/v1/imports"), ADMINS),
    ("GET", "/api/v1/imports/{run_id}"): Route(
        "GET", _p("/api/v1/imports/{w.import_run.pk}"), ADMINS
    ),
}
# Last path segments of POST routes that act on a record and answer 200 rather than 201.
ACTIONS: set[str] = set()


def extend_world(w: Any) -> None:
    """Add what these routes need to the matrix's world (w.rita, w.north, w.deal, w.lost...)."""
    from debrief.imports.actions import start_import

    # Queued only: the matrix's transaction never commits, so the task never runs.
    w.import_run = start_import([], "csv", by=w.adam, file_names=["deals.csv"])
