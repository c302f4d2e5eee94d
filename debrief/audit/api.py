"""The audit trail API, for admins."""

from __future__ import annotations

from ninja import Router

audit_router = Router(tags=["audit"])
