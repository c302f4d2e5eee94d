from __future__ import annotations

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "debrief.org"
    label = "org"
