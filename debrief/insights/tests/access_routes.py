"""Who may use each insights page and API route, for the access matrix in
debrief/org/tests/test_access_matrix.py (the words come from debrief/org/tests/routes.py)."""

from __future__ import annotations

from typing import Any

from debrief.org.tests.routes import EVERYONE, Route, _p

# Everyone signed in reads insights and exports; what the figures and files cover is their
# own scope (tested in test_pages_insights and test_exports_by_role).
PAGES: dict[str, Route] = {
    "insights-overview": Route("GET", _p("/insights/"), EVERYONE),
    "insights-metric": Route("GET", _p("/insights/win-rate/?by=owner"), EVERYONE),
    "insights-metric-csv": Route("GET", _p("/insights/win-rate/export.csv?by=team"), EVERYONE),
    "insights-export-deals": Route("GET", _p("/exports/deals.csv"), EVERYONE),
    "insights-export-losses": Route("GET", _p("/exports/losses.csv"), EVERYONE),
    "insights-export-debriefs": Route("GET", _p("/exports/debriefs.csv"), EVERYONE),
    "insights-export-lessons": Route("GET", _p("/exports/lessons.csv"), EVERYONE),
}
API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/exports/deals"): Route("GET", _p("/api/v1/exports/deals"), EVERYONE),
    ("GET", "/api/v1/exports/losses"): Route("GET", _p("/api/v1/exports/losses"), EVERYONE),
    ("GET", "/api/v1/exports/debriefs"): Route("GET", _p("/api/v1/exports/debriefs"), EVERYONE),
    ("GET", "/api/v1/exports/lessons"): Route("GET", _p("/api/v1/exports/lessons"), EVERYONE),
    # Everyone reads the figures of what they may see (scoping: test_api_insights).
    ("GET", "/api/v1/insights"): Route("GET", _p("/api/v1/insights"), EVERYONE),
    ("GET", "/api/v1/insights/{metric}"): Route(
        "GET", _p("/api/v1/insights/win-rate?by=team"), EVERYONE
    ),
}
# Last path segments of POST routes that act on a record and answer 200 rather than 201.
ACTIONS: set[str] = set()


def extend_world(w: Any) -> None:
    """Add what these routes need to the matrix's world (w.rita, w.north, w.deal, w.lost...)."""
