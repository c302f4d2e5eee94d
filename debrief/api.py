"""The REST API at /api/v1: each app's router, one authentication, one error format."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Debrief API",
    version="1",
    description="Debrief's REST API. Authenticate with `Authorization: Bearer <token>`; "
    "create a token on your profile page or with `debrief token create EMAIL`.",
    urls_namespace="api",
)
