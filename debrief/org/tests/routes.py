"""The vocabulary of the access matrix: a route, and who may use it. Each app lists its own
routes in `<app>/tests/access_routes.py` with these words; `test_access_matrix` gathers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROLES = ("rita", "nico", "maya", "sam", "oscar", "ana", "adam")
OK, DENIED, HIDDEN = "ok", 403, 404

# Who may do what, per kind of route. Rita owns the deal; Nico is her teammate; Maya manages
# North; Sam and Oscar are South; Ana is the analyst; Adam the admin.
EVERYONE = dict.fromkeys(ROLES, OK)
WRITERS = {**EVERYONE, "ana": DENIED}
ADMINS = {**dict.fromkeys(ROLES, HIDDEN), "adam": OK}
ADMINS_WRITE = {**dict.fromkeys(ROLES, DENIED), "adam": OK}
RITA_ONLY = {**dict.fromkeys(ROLES, HIDDEN), "rita": OK}
DEAL_READ = {
    "rita": OK,
    "nico": HIDDEN,
    "maya": OK,
    "sam": HIDDEN,
    "oscar": HIDDEN,
    "ana": OK,
    "adam": OK,
}
DEAL_WRITE = {**DEAL_READ, "ana": DENIED}
CUSTOMER_READ = {**DEAL_READ, "nico": OK}  # a North customer: the whole team sees it
CUSTOMER_WRITE = {**CUSTOMER_READ, "ana": DENIED}
TEAM_READ = CUSTOMER_READ  # shared with the whole team, like a lesson
# The rep's own words: the rep, the rep's manager, admins. Not analysts, not teammates.
OWN_IT = {**dict.fromkeys(ROLES, HIDDEN), "rita": OK, "maya": OK, "adam": OK}


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[Any], str]
    who: dict[str, Any]
    # A body, or a function of the world that returns one.
    data: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None
    # Puts back what an allowed role's request took away, before the next role tries.
    restore: Callable[[Any], object] | None = None


def _p(template: str) -> Callable[[Any], str]:
    return lambda w: template.format(w=w)
