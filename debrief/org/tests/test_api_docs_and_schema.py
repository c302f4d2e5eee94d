"""The API describes itself: an OpenAPI schema listing every route, and a documentation
page served from Debrief itself, with nothing loaded from elsewhere."""

from __future__ import annotations

import json
import re

from debrief.org.tests.test_access_matrix import API, APP_ROUTES

# The whole API, method and path: the access matrix holds the one list, with who may use each.
ROUTES = {(method.lower(), path) for method, path in API}
# POSTs that act on a record rather than create one answer 200, not 201.
ACTIONS = {"stage", "reopen", "merge", "answers", "held", "close", "decision", "status", "rep"}
for _module in APP_ROUTES:
    ACTIONS |= _module.ACTIONS


def test_the_openapi_schema_lists_every_route(client, db):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    routes = {(m, p) for p, methods in schema["paths"].items() for m in methods}
    assert routes - {("get", "/api/v1/openapi.json"), ("get", "/api/v1/docs")} == ROUTES
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
        if "post" in methods and path.rsplit("/", 1)[-1] not in ACTIONS:
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
