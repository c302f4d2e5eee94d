"""Answering HTMX: the same URL gives the whole page, or to HTMX just the part it swaps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

from debrief.org.models import User


class AuthenticatedRequest(HttpRequest):
    """A signed-in request as the middleware leaves it, for the type checker."""

    user: User
    htmx: HtmxDetails


def is_partial(request: HttpRequest) -> bool:
    """Whether to answer with a fragment. A history restore after a cache miss wants the
    whole page back, although HTMX sends it."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def render_page_or_partial(
    request: HttpRequest,
    full_template: str,
    partial_template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render the page or, to HTMX, its fragment. `Vary: HX-Request` keeps a browser or a
    proxy from serving a cached fragment as the page (or the other way round)."""
    template = partial_template if is_partial(request) else full_template
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
