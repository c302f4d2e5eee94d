"""The REST API at /api/v1: each app's router, one authentication, one error format for
every 4xx, and a documentation page rendered on the server from the OpenAPI schema."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.docs import DocsBase

from debrief.audit.api import audit_router
from debrief.imports.api import imports_router
from debrief.insights.api import exports_router, insights_router
from debrief.learning.api import matches_router, practices_router, retros_router
from debrief.losses.api import (
    debriefs_router,
    lessons_router,
    losses_router,
    outcome_types_router,
    own_it_router,
    reasons_router,
)
from debrief.meetings.api import (
    bad_meetings_router,
    meetings_router,
    outcomes_router,
    plans_router,
)
from debrief.org.api import AUTH, me_router, teams_router, users_router
from debrief.pipeline.api import (
    competitors_router,
    contacts_router,
    customers_router,
    deals_router,
    products_router,
    stages_router,
)
from debrief.relationships.api import relationships_router

DESCRIPTION = """\
Debrief's REST API: the same records, the same rules and the same filters as the web pages.

## Authentication
Send a personal API token in the `Authorization` header: `Authorization: Bearer <token>`.
Create one on your profile page (the key is shown once) or with `debrief token create EMAIL`,
and revoke it there when it is no longer needed. A token acts as its user: a rep sees and
changes their own deals, a manager their teams' deals, an analyst reads everything and
changes nothing, an admin does everything. In a signed-in browser the session works too;
its writes must send the `csrftoken` cookie's value in the `X-CSRFToken` header.

## Errors
Every 4xx answer has the same shape:

    {"detail": "One sentence saying what went wrong.",
     "errors": [{"field": "amount", "message": "The amount cannot be negative."}]}

`field` names the body field or query parameter at fault, or is null when no single field
is. Codes: 400 the body is not JSON; 401 no token, or a wrong or revoked one; 403 you may
see the record but not change it (analysts; stages for everyone but admins); 404 no such
record, or one you may not see, such as another team's deal; 405 wrong method; 422 a value
is not valid, and nothing was saved.

## Lists
Every list answers `{"count": <total matching>, "items": [...]}` and takes `limit`
(1–500, default 50) and `offset` (default 0).

## Values
Amounts are strings with two decimals (`"25000.00"`) so no precision is lost; send them as
a number or a string. Dates are `YYYY-MM-DD`; times are ISO 8601 in UTC. Records refer to
each other by id. Deals are not deleted: move them to a won or lost stage.
"""


# --- one error format ---------------------------------------------------------------------


def error_body(detail: str, errors: list[tuple[str | None, str]] | None = None) -> dict[str, Any]:
    if errors is None:
        errors = [(None, detail)]
    return {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]}


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """ninja's error location, e.g. ("body", "payload", "amount") or ("query", "owner"),
    as the name the client sent."""
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]  # the view's parameter name, which the client never sees
    return parts[0] if parts else None


def _invalid(fields: list[str | None]) -> str:
    named = ", ".join(dict.fromkeys(f for f in fields if f))
    return f"Some values are not valid: {named}." if named else "The request is not valid."


class DebriefAPI(NinjaAPI):
    """NinjaAPI whose every answer, even to an unknown route or a wrong method, is JSON."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        routes: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and pattern.name == "api-root":
                continue
            if isinstance(pattern, URLPattern):
                pattern.callback = self._json_not_allowed(pattern.callback)
            routes.append(pattern)
        routes += [
            path("", self._not_found, name="api-root"),
            path("<path:rest>", self._not_found, name="api-not-found"),
        ]
        return routes, app_name, namespace

    def _not_found(self, request: HttpRequest, rest: str = "") -> HttpResponse:
        detail = f"No route {request.path}. The routes are listed at /api/v1/docs."
        if request.path.endswith("/") and rest:
            detail += " Routes have no trailing slash."
        return self.create_response(request, error_body(detail), status=404)

    def _json_not_allowed(self, view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                detail = f"{request.method} is not allowed here; use {allowed}."
                json_response = self.create_response(request, error_body(detail), status=405)
                json_response["Allow"] = allowed
                return json_response
            return response

        return wrapper

    def get_openapi_operation_id(self, operation: Any) -> str:
        # The view's name (list_deals, create_deal…): short, stable anchors for the docs.
        return str(operation.view_func.__name__)


class DocsPage(DocsBase):
    """The API's documentation as a plain server-rendered page: no CDN and no script, so it
    works under the site's Content-Security-Policy."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        return render(request, "web/api_docs.html", docs_context(request, schema))


api = DebriefAPI(
    title="Debrief API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    docs=DocsPage(),
    docs_url="/docs",
)

api.add_router("/me", me_router)
api.add_router("/users", users_router)
api.add_router("/teams", teams_router)
api.add_router("/deals", deals_router)
api.add_router("/customers", customers_router)
api.add_router("/contacts", contacts_router)
api.add_router("/stages", stages_router)
api.add_router("/competitors", competitors_router)
api.add_router("/products", products_router)
api.add_router("/losses", losses_router)
api.add_router("/reasons", reasons_router)
api.add_router("/outcome-types", outcome_types_router)
api.add_router("/own-it-reviews", own_it_router)
api.add_router("/debriefs", debriefs_router)
api.add_router("/lessons", lessons_router)
api.add_router("/meetings", meetings_router)
api.add_router("/meeting-plans", plans_router)
api.add_router("/meeting-outcomes", outcomes_router)
api.add_router("/bad-meetings", bad_meetings_router)
api.add_router("/relationships", relationships_router)
api.add_router("/retros", retros_router)
api.add_router("/practices", practices_router)
api.add_router("/practice-matches", matches_router)
api.add_router("/imports", imports_router)
api.add_router("/insights", insights_router)
api.add_router("/exports", exports_router)
api.add_router("/audit", audit_router)


@api.exception_handler(RequestValidationError)
def request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = [(_field_of(e.get("loc", ())), str(e.get("msg", "Not valid."))) for e in exc.errors]
    body = error_body(_invalid([f for f, _ in errors]), errors)
    return api.create_response(request, body, status=422)


@api.exception_handler(DjangoValidationError)
def action_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors: list[tuple[str | None, str]]
    if hasattr(exc, "error_dict"):
        errors = [
            (None if field == "__all__" else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [(None, message) for message in exc.messages]
    body = error_body(_invalid([f for f, _ in errors]), errors)
    return api.create_response(request, body, status=422)


@api.exception_handler(OverflowError)
def out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # SQLite refuses an id or filter past 64 bits outright (PostgreSQL just finds nothing):
    # no record has such a number, so it is a value that is not valid, not a server error.
    detail = "A number is out of range: no record has an id or value that large."
    return api.create_response(request, error_body(detail), status=422)


@api.exception_handler(DataError)
def not_storable(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The database refused a value (PostgreSQL: a NUL character in text, a number or text
    # too large for its column): the request is at fault, and the failed statement's
    # transaction has been rolled back.
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "a value is not valid"
    detail = f"A value cannot be stored: {reason.rstrip('.')}."
    return api.create_response(request, error_body(detail), status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) or "Not found."
    return api.create_response(request, error_body("Not found.", [(None, message)]), status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or "You may not do this."
    return api.create_response(request, error_body(detail), status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if getattr(request, "api_token_rejected", False):
        detail = "The API token is not valid: it is wrong, revoked, or its user is inactive."
    else:
        detail = "Authentication required: send Authorization: Bearer <token>, or sign in."
    response = api.create_response(request, error_body(detail), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc).rstrip(".") + "."
    return api.create_response(request, error_body(detail), status=exc.status_code)


# --- the documentation page ---------------------------------------------------------------

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
MEANINGS = {
    "200": "OK.",
    "201": "Created.",
    "204": "Done; no body.",
    "400": "The body is not JSON.",
    "401": "No token, or a wrong or revoked one.",
    "403": "You may see this but not change it.",
    "404": "No such record, or one you may not see.",
    "409": "Someone changed it since you read it (see errors); nothing was saved.",
    "422": "A value is not valid (see errors); nothing was saved.",
}
EXAMPLES: dict[str, Any] = {
    "integer": 1,
    "number": 0,
    "boolean": True,
    "array": [],
    "object": {},
    "date": "2026-06-30",
    "date-time": "2026-06-30T09:00:00Z",
}


def docs_context(request: HttpRequest, schema: dict[str, Any]) -> dict[str, Any]:
    """Everything the docs template shows, from the OpenAPI schema: endpoints grouped by tag,
    their parameters, bodies and responses, the schemas they use, and curl examples."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    base_url = request.build_absolute_uri("/").rstrip("/")
    tags: dict[str, list[dict[str, Any]]] = {}
    for route, methods in schema["paths"].items():
        for method in sorted(methods, key=METHOD_ORDER.index):
            op = methods[method]
            tags.setdefault((op.get("tags") or ["other"])[0], []).append(
                _operation(base_url, route, method, op, components)
            )
    info = schema["info"]
    return {
        "title": info["title"],
        "version": info["version"],
        "description": markdown(info.get("description", "")),
        "openapi_url": reverse("api:openapi-json"),
        "base_url": base_url,
        "example_curl": _curl(base_url, "get", "/api/v1/deals?status=open&limit=5", None),
        "tags": [
            {"name": name, "slug": _slug(name), "operations": ops} for name, ops in tags.items()
        ],
        "schemas": [
            _schema_table(name, components[name], components)
            for name in sorted(_referenced(schema["paths"], components))
        ],
    }


def _referenced(paths: dict[str, Any], components: dict[str, Any]) -> set[str]:
    """The schemas bodies and responses use. Query schemas are left out: they are shown
    flattened, as parameters."""
    found: set[str] = set()
    todo = re.findall(r"#/components/schemas/(\w+)", json.dumps(paths))
    while todo:
        name = todo.pop()
        if name not in found and name in components:
            found.add(name)
            todo += re.findall(r"#/components/schemas/(\w+)", json.dumps(components[name]))
    return found


def _operation(
    base_url: str, route: str, method: str, op: dict[str, Any], components: dict[str, Any]
) -> dict[str, Any]:
    body_schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    parameters = [
        {
            "name": p["name"],
            "where": p["in"],
            "type": type_html(p.get("schema", {})),
            "required": p.get("required", False),
            "description": p.get("description") or p.get("schema", {}).get("description", ""),
        }
        for p in op.get("parameters", [])
    ]
    responses = [
        {
            "code": str(code),
            "family": f"{str(code)[0]}xx",
            "description": MEANINGS.get(str(code), r.get("description", "")),
            "type": type_html(r.get("content", {}).get("application/json", {}).get("schema")),
        }
        for code, r in op.get("responses", {}).items()
    ]
    example = _example_body(body_schema, components) if body_schema else None
    return {
        "id": op.get("operationId", f"{method}-{route}"),
        "method": method.upper(),
        "path": route,
        "summary": op.get("summary", ""),
        "description": markdown(op.get("description", "")),
        "parameters": parameters,
        "body": _body(body_schema, components) if body_schema else None,
        "responses": responses,
        "curl": _curl(base_url, method, route, example),
    }


def _body(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    name = _ref_name(schema)
    table = _schema_table(name, components.get(name, {}), components) if name else None
    return {"type": type_html(schema), "properties": table["properties"] if table else []}


def _schema_table(name: str, schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))
    return {
        "name": name,
        "description": schema.get("description", ""),
        "properties": [
            {
                "name": prop,
                "type": type_html(s),
                "required": prop in required,
                "description": s.get("description", ""),
            }
            for prop, s in schema.get("properties", {}).items()
        ],
    }


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return str(ref).rsplit("/", 1)[-1] if ref else None


def type_html(schema: dict[str, Any] | None) -> SafeString:
    """A JSON schema as a short readable type, linking to the schemas it names."""
    if not schema:
        return mark_safe("—")
    name = _ref_name(schema)
    if name:
        return format_html('<a href="#schema-{}">{}</a>', name, name)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return format_html_join(" or ", "{}", ((type_html(s),) for s in schema[key]))
    kind = schema.get("type", "any")
    if kind == "array":
        return format_html("list of {}", type_html(schema.get("items")))
    if "enum" in schema:
        return format_html("one of {}", ", ".join(map(str, schema["enum"])))
    if schema.get("format"):
        return format_html("{} ({})", kind, schema["format"])
    return format_html("{}", kind)


def _example_value(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    name = _ref_name(schema)
    if name:
        return _example_body(components.get(name, {}), components, depth + 1)
    for key in ("anyOf", "oneOf", "allOf"):
        options = [s for s in schema.get(key, []) if s.get("type") != "null"]
        if options:
            return _example_value(options[0], components, depth)
    if "default" in schema and schema["default"] not in (None, "", [], {}):
        return schema["default"]
    fmt, kind = schema.get("format", ""), schema.get("type", "string")
    return EXAMPLES.get(fmt, EXAMPLES.get(kind, "text"))


def _example_body(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    name = _ref_name(schema)
    if name:
        schema = components.get(name, {})
    props: dict[str, Any] = schema.get("properties", {})
    if depth > 2 or not props:
        return {}
    # The required fields, or for a PATCH (nothing required) the first one, as a taste.
    keys = [k for k in props if k in schema.get("required", [])] or list(props)[:1]
    return {k: _example_value(props[k], components, depth) for k in keys}


def _curl(base_url: str, method: str, route: str, body: Any) -> str:
    lines = ["curl" if method == "get" else f"curl -X {method.upper()}"]
    lines.append('-H "Authorization: Bearer $DEBRIEF_TOKEN"')
    if body is not None:
        lines.append('-H "Content-Type: application/json"')
        lines.append(f"-d '{json.dumps(body)}'")
    lines.append(f'"{base_url}{route}"')
    return " \\\n  ".join(lines)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def markdown(text: str) -> SafeString:
    """The little Markdown the API's descriptions use: `## headings`, paragraphs, `- lists`,
    indented code blocks and `inline code`. Everything is escaped first."""

    def inline(s: str) -> SafeString:
        escaped = format_html("{}", s)
        return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))

    blocks: list[SafeString] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if not lines:
            continue
        if all(line.startswith("    ") for line in lines):
            blocks.append(
                format_html("<pre><code>{}</code></pre>", "\n".join(line[4:] for line in lines))
            )
            continue
        if lines[0].startswith("#"):
            level = min(len(lines[0]) - len(lines[0].lstrip("#")) + 1, 4)
            title = lines.pop(0).lstrip("#").strip()
            blocks.append(format_html("<h{}>{}</h{}>", level, title, level))
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((inline(line[2:]),) for line in lines))
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            blocks.append(format_html("<p>{}</p>", inline(" ".join(lines))))
    return mark_safe("\n".join(blocks))
