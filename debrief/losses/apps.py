"""The loss loop app: it adds its section to the deal page and its panels to the home page."""

from __future__ import annotations

from django.apps import AppConfig


class LossesConfig(AppConfig):
    name = "debrief.losses"
    label = "losses"

    def ready(self) -> None:
        from debrief.losses import panels
        from debrief.pipeline.panels import register_deal_panel
        from debrief.web.panels import register_home_panel

        register_deal_panel("losses", panels.deal_panel, order=10)
        register_home_panel("losses-mine", panels.my_panel, order=10)
        register_home_panel("losses-team", panels.team_panel, order=20)
