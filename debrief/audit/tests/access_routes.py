"""Who may use each audit page and API route, for the access matrix in
debrief/org/tests/test_access_matrix.py (the words come from debrief/org/tests/routes.py)."""

from __future__ import annotations

from typing import Any

from debrief.org.tests.routes import ADMINS, Route, _p

PAGES: dict[str, Route] = {
    "audit-trail": Route("GET", _p("/settings/audit/"), ADMINS),
    "audit-export": Route("GET", _p("/settings/audit/export.csv"), ADMINS),
}
API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/audit"): Route("GET", _p("/api/v1/audit"), ADMINS),
}
# Last path segments of POST routes that act on a record and answer 200 rather than 201.
ACTIONS: set[str] = set()


def extend_world(w: Any) -> None:
    """The trail needs nothing of its own: the world's losses and debriefs are in it."""
