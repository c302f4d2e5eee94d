"""The insights API: metrics by dimension and period, and CSV exports."""

from __future__ import annotations

from ninja import Router

insights_router = Router(tags=["insights"])
exports_router = Router(tags=["exports"])
