"""The learning API: retros with their groups and proposals, best practices, and matches."""

from __future__ import annotations

from ninja import Router

retros_router = Router(tags=["retros"])
practices_router = Router(tags=["best practices"])
matches_router = Router(tags=["practice matches"])
