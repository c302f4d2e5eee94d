"""Who may use each audit page and API route, for the access matrix in
debrief/org/tests/test_access_matrix.py (the words come from debrief/org/tests/routes.py)."""

from __future__ import annotations

from typing import Any

from debrief.org.tests.routes import Route

PAGES: dict[str, Route] = {}
API: dict[tuple[str, str], Route] = {}
# Last path segments of POST routes that act on a record and answer 200 rather than 201.
ACTIONS: set[str] = set()


def extend_world(w: Any) -> None:
    """Add what these routes need to the matrix's world (w.rita, w.north, w.deal, w.lost...)."""
