"""Importing deals from the CRMs teams already use, and from the public data sets."""

from __future__ import annotations

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "debrief.imports"
    label = "imports"
