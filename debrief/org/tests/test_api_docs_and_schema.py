"""The API describes itself: an OpenAPI schema listing every route, and a documentation
page served from Debrief itself, with nothing loaded from elsewhere."""

from __future__ import annotations

import json
import re

# The whole API, method and path. A new route must be added here (and to the access matrix).
ROUTES = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"),
    ("get", "/api/v1/teams"),
    ("get", "/api/v1/teams/{team_id}"),
    ("get", "/api/v1/deals"),
    ("post", "/api/v1/deals"),
    ("get", "/api/v1/deals/{deal_id}"),
    ("patch", "/api/v1/deals/{deal_id}"),
    ("post", "/api/v1/deals/{deal_id}/stage"),
    ("get", "/api/v1/deals/{deal_id}/events"),
    ("get", "/api/v1/deals/{deal_id}/contacts"),
    ("post", "/api/v1/deals/{deal_id}/contacts"),
    ("delete", "/api/v1/deals/{deal_id}/contacts/{contact_id}"),
    ("get", "/api/v1/customers"),
    ("post", "/api/v1/customers"),
    ("get", "/api/v1/customers/{customer_id}"),
    ("patch", "/api/v1/customers/{customer_id}"),
    ("get", "/api/v1/customers/{customer_id}/contacts"),
    ("post", "/api/v1/customers/{customer_id}/contacts"),
    ("get", "/api/v1/contacts/{contact_id}"),
    ("patch", "/api/v1/contacts/{contact_id}"),
    ("get", "/api/v1/stages"),
    ("post", "/api/v1/stages"),
    ("get", "/api/v1/stages/{stage_id}"),
    ("patch", "/api/v1/stages/{stage_id}"),
    ("get", "/api/v1/competitors"),
    ("post", "/api/v1/competitors"),
    ("get", "/api/v1/competitors/{competitor_id}"),
    ("patch", "/api/v1/competitors/{competitor_id}"),
    ("get", "/api/v1/products"),
}


def test_the_openapi_schema_lists_every_route(client, db):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    routes = {(m, p) for p, methods in schema["paths"].items() for m in methods}
    assert routes == ROUTES
    for methods in schema["paths"].values():
        for op in methods.values():
            assert op["summary"] and op["tags"], op["operationId"]
    assert set(schema["components"]["securitySchemes"]) == {"ApiTokenAuth", "BrowserSessionAuth"}
    assert "errors" in schema["info"]["description"]


def test_creating_answers_201_in_the_schema(client, db):
    # when
    schema = client.get("/api/v1/openapi.json").json()

    # then
    for path, methods in schema["paths"].items():
        if "post" in methods and not path.endswith("/stage"):
            assert "201" in methods["post"]["responses"], path


def test_the_docs_page_shows_every_route_and_loads_nothing_from_elsewhere(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.get("/api/v1/docs")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    for method, path in ROUTES:
        assert f'{method.upper()}</span> <code class="endpoint-path">{path}</code>' in html
    assert "Authorization: Bearer" in html
    assert "curl" in html
    assert 'id="schema-DealOut"' in html
    assert 'id="schema-ErrorOut"' in html
    sources = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]*)"', html)
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources


def test_the_docs_page_obeys_the_content_security_policy(client, db):
    # when
    response = client.get("/api/v1/docs")

    # then
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style=" not in html
    assert "<style" not in html
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html)), "no inline script"
