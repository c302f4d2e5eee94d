"""Every page and every API route, for every role: who gets it, who gets 403 (may see, may
not change) and who gets 404 (another team's record). The routes are read from the URL
configuration and the OpenAPI schema, so a new route without a rule here fails this test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from debrief.org import actions as org_actions
from debrief.pipeline import actions as pipeline_actions

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


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[Any], str]
    who: dict[str, Any]
    data: dict[str, Any] | None = None
    # Puts back what an allowed role's request took away, before the next role tries.
    restore: Callable[[Any], object] | None = None


def _p(template: str) -> Callable[[Any], str]:
    return lambda w: template.format(w=w)


PAGES: dict[str, Route] = {
    "web-home": Route("GET", _p("/"), EVERYONE),
    "web-login": Route("GET", _p("/login/"), EVERYONE),
    "web-logout": Route("POST", _p("/logout/"), EVERYONE),
    "org-profile": Route("GET", _p("/me/"), EVERYONE),
    "org-password-change": Route("GET", _p("/me/password/"), EVERYONE),
    "org-token-create": Route("POST", _p("/me/tokens/"), EVERYONE, {"name": "matrix"}),
    "org-token-revoke": Route("POST", _p("/me/tokens/{w.token.pk}/revoke/"), RITA_ONLY),
    "org-settings": Route("GET", _p("/settings/"), ADMINS),
    "org-stages": Route("GET", _p("/settings/stages/"), ADMINS),
    "org-stage-edit": Route("GET", _p("/settings/stages/{w.stage.pk}/"), ADMINS),
    "org-stage-move": Route("POST", _p("/settings/stages/{w.stage.pk}/move/"), ADMINS),
    "org-stage-active": Route("POST", _p("/settings/stages/{w.stage.pk}/active/"), ADMINS),
    "org-users": Route("GET", _p("/settings/users/"), ADMINS),
    "org-user-add": Route("GET", _p("/settings/users/new/"), ADMINS),
    "org-user-edit": Route("GET", _p("/settings/users/{w.rita.pk}/"), ADMINS),
    "org-teams": Route("GET", _p("/settings/teams/"), ADMINS),
    "org-team-add": Route("GET", _p("/settings/teams/new/"), ADMINS),
    "org-team-edit": Route("GET", _p("/settings/teams/{w.north.pk}/"), ADMINS),
    "pipeline-deals": Route("GET", _p("/deals/"), EVERYONE),
    "pipeline-deal-new": Route("GET", _p("/deals/new/"), WRITERS),
    "pipeline-deal": Route("GET", _p("/deals/{w.deal.pk}/"), DEAL_READ),
    "pipeline-deal-edit": Route("GET", _p("/deals/{w.deal.pk}/edit/"), DEAL_WRITE),
    "pipeline-deal-stage": Route("POST", _p("/deals/{w.deal.pk}/stage/"), DEAL_WRITE),
    "pipeline-deal-contact-add": Route("POST", _p("/deals/{w.deal.pk}/contacts/add/"), DEAL_WRITE),
    "pipeline-deal-contact-remove": Route(
        "POST", _p("/deals/{w.deal.pk}/contacts/{w.contact.pk}/remove/"), DEAL_WRITE
    ),
    "pipeline-customers": Route("GET", _p("/customers/"), EVERYONE),
    "pipeline-customer-new": Route("GET", _p("/customers/new/"), WRITERS),
    "pipeline-customer-options": Route("GET", _p("/customers/options/?q=Nor"), EVERYONE),
    "pipeline-customer": Route("GET", _p("/customers/{w.customer.pk}/"), CUSTOMER_READ),
    "pipeline-customer-edit": Route("GET", _p("/customers/{w.customer.pk}/edit/"), CUSTOMER_WRITE),
    "pipeline-contact-new": Route(
        "GET", _p("/customers/{w.customer.pk}/contacts/new/"), CUSTOMER_WRITE
    ),
    "pipeline-contact-edit": Route("GET", _p("/contacts/{w.contact.pk}/edit/"), CUSTOMER_WRITE),
    "pipeline-competitors": Route("GET", _p("/competitors/"), EVERYONE),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/me"): Route("GET", _p("/api/v1/me"), EVERYONE),
    ("GET", "/api/v1/users"): Route("GET", _p("/api/v1/users"), EVERYONE),
    ("GET", "/api/v1/users/{user_id}"): Route("GET", _p("/api/v1/users/{w.rita.pk}"), EVERYONE),
    ("GET", "/api/v1/teams"): Route("GET", _p("/api/v1/teams"), EVERYONE),
    ("GET", "/api/v1/teams/{team_id}"): Route("GET", _p("/api/v1/teams/{w.north.pk}"), EVERYONE),
    ("GET", "/api/v1/deals"): Route("GET", _p("/api/v1/deals"), EVERYONE),
    ("POST", "/api/v1/deals"): Route("POST", _p("/api/v1/deals"), WRITERS),
    ("GET", "/api/v1/deals/{deal_id}"): Route("GET", _p("/api/v1/deals/{w.deal.pk}"), DEAL_READ),
    ("PATCH", "/api/v1/deals/{deal_id}"): Route(
        "PATCH", _p("/api/v1/deals/{w.deal.pk}"), DEAL_WRITE, {"next_step": "Call back"}
    ),
    ("POST", "/api/v1/deals/{deal_id}/stage"): Route(
        "POST", _p("/api/v1/deals/{w.deal.pk}/stage"), DEAL_WRITE, {"stage": "{w.stage.pk}"}
    ),
    ("GET", "/api/v1/deals/{deal_id}/events"): Route(
        "GET", _p("/api/v1/deals/{w.deal.pk}/events"), DEAL_READ
    ),
    ("GET", "/api/v1/deals/{deal_id}/contacts"): Route(
        "GET", _p("/api/v1/deals/{w.deal.pk}/contacts"), DEAL_READ
    ),
    ("POST", "/api/v1/deals/{deal_id}/contacts"): Route(
        "POST",
        _p("/api/v1/deals/{w.deal.pk}/contacts"),
        DEAL_WRITE,
        {"contact": "{w.contact.pk}", "role": "evaluator"},
    ),
    ("DELETE", "/api/v1/deals/{deal_id}/contacts/{contact_id}"): Route(
        "DELETE",
        _p("/api/v1/deals/{w.deal.pk}/contacts/{w.contact.pk}"),
        DEAL_WRITE,
        restore=lambda w: pipeline_actions.add_deal_contact(w.deal, w.contact, "champion", None),
    ),
    ("GET", "/api/v1/customers"): Route("GET", _p("/api/v1/customers"), EVERYONE),
    ("POST", "/api/v1/customers"): Route("POST", _p("/api/v1/customers"), WRITERS),
    ("GET", "/api/v1/customers/{customer_id}"): Route(
        "GET", _p("/api/v1/customers/{w.customer.pk}"), CUSTOMER_READ
    ),
    ("PATCH", "/api/v1/customers/{customer_id}"): Route(
        "PATCH", _p("/api/v1/customers/{w.customer.pk}"), CUSTOMER_WRITE, {"region": "EMEA"}
    ),
    ("GET", "/api/v1/customers/{customer_id}/contacts"): Route(
        "GET", _p("/api/v1/customers/{w.customer.pk}/contacts"), CUSTOMER_READ
    ),
    ("POST", "/api/v1/customers/{customer_id}/contacts"): Route(
        "POST", _p("/api/v1/customers/{w.customer.pk}/contacts"), CUSTOMER_WRITE, {"name": "Ida"}
    ),
    ("GET", "/api/v1/contacts/{contact_id}"): Route(
        "GET", _p("/api/v1/contacts/{w.contact.pk}"), CUSTOMER_READ
    ),
    ("PATCH", "/api/v1/contacts/{contact_id}"): Route(
        "PATCH", _p("/api/v1/contacts/{w.contact.pk}"), CUSTOMER_WRITE, {"title": "CFO"}
    ),
    ("GET", "/api/v1/stages"): Route("GET", _p("/api/v1/stages"), EVERYONE),
    ("POST", "/api/v1/stages"): Route(
        "POST", _p("/api/v1/stages"), ADMINS_WRITE, {"name": "Pilot", "kind": "open"}
    ),
    ("GET", "/api/v1/stages/{stage_id}"): Route("GET", _p("/api/v1/stages/{w.stage.pk}"), EVERYONE),
    ("PATCH", "/api/v1/stages/{stage_id}"): Route(
        "PATCH", _p("/api/v1/stages/{w.stage.pk}"), ADMINS_WRITE, {"probability": 45}
    ),
    ("GET", "/api/v1/competitors"): Route("GET", _p("/api/v1/competitors"), EVERYONE),
    ("POST", "/api/v1/competitors"): Route("POST", _p("/api/v1/competitors"), WRITERS),
    ("GET", "/api/v1/competitors/{competitor_id}"): Route(
        "GET", _p("/api/v1/competitors/{w.competitor.pk}"), EVERYONE
    ),
    ("PATCH", "/api/v1/competitors/{competitor_id}"): Route(
        "PATCH", _p("/api/v1/competitors/{w.competitor.pk}"), WRITERS, {"website": ""}
    ),
    ("GET", "/api/v1/products"): Route("GET", _p("/api/v1/products"), EVERYONE),
}

# Routes that answer without signing in, or belong to Django's own admin (admins only).
UNGUARDED_API = {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs")}


def _page_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str | None = None) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace not in ("admin", "api"):
                    names |= walk(pattern.url_patterns, pattern.namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
                names.add(pattern.name)
        return names

    return walk(get_resolver().url_patterns)


def _api_operations() -> set[tuple[str, str]]:
    from debrief.api import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_page_has_an_access_rule():
    assert _page_names() == set(PAGES), "add the new page to PAGES with who may use it"


def test_every_api_route_has_an_access_rule():
    assert _api_operations() - UNGUARDED_API == set(API), "add the new route to API"


@pytest.fixture
def world(cast, north, make_customer, make_deal, stages):
    customer = make_customer(name="Northwind Tools", team=north)
    contact = pipeline_actions.create_contact(customer, None, name="Cleo Carter", title="CTO")
    deal = make_deal(cast.rita, customer=customer)
    pipeline_actions.add_deal_contact(deal, contact, "champion", None)
    competitor = pipeline_actions.create_competitor(None, "Acme Rival")
    token, _ = org_actions.create_api_token(cast.rita, None, "laptop")

    class World:
        pass

    w = World()
    vars(w).update(
        vars(cast),
        north=north,
        customer=customer,
        contact=contact,
        deal=deal,
        competitor=competitor,
        token=token,
        stage=stages["Proposal"],
    )
    return w


def _outcome(status: int) -> Any:
    if status in (401, 404):
        return HIDDEN
    if status == 403:
        return DENIED
    assert status < 500, f"server error {status}"
    return OK


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access_by_role(client, world, name):
    route = PAGES[name]
    seen = {}
    for role in ROLES:
        client.force_login(getattr(world, role))
        url = route.path(world)
        response = client.get(url) if route.method == "GET" else client.post(url, route.data or {})
        seen[role] = _outcome(response.status_code)
    assert seen == route.who


@pytest.mark.parametrize("operation", sorted(API), ids=" ".join)
def test_api_access_by_role(api_client, world, operation):
    route = API[operation]
    seen = {}
    for role in ROLES:
        if route.restore:
            route.restore(world)
        api = api_client.as_user(getattr(world, role))
        url = route.path(world)
        data = {
            k: (v.format(w=world) if isinstance(v, str) else v)
            for k, v in (route.data or {}).items()
        }
        call = getattr(api, route.method.lower())
        response = call(url) if route.method in ("GET", "DELETE") else call(url, data)
        seen[role] = _outcome(response.status_code)
    assert seen == route.who


def test_api_without_a_token_is_refused(client, world):
    for (method, _), route in API.items():
        response = client.generic(method, route.path(world))
        assert response.status_code == 401, (method, route.path(world))
