"""Insights: rollups kept current by the actions, metrics, charts and CSV exports."""

from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "debrief.insights"
    label = "insights"
