from __future__ import annotations

from django.apps import AppConfig


class LossesConfig(AppConfig):
    name = "debrief.losses"
    label = "losses"
