"""The imports API."""

from __future__ import annotations

from ninja import Router

imports_router = Router(tags=["imports"])
