"""The meetings app: it adds its section to the deal page and its panels to the home page."""

from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "debrief.meetings"
    label = "meetings"

    def ready(self) -> None:
        from debrief.meetings import panels
        from debrief.pipeline.panels import register_deal_panel
        from debrief.web.panels import register_home_panel

        register_deal_panel("meetings", panels.deal_panel, order=5)
        register_home_panel("meetings-mine", panels.my_panel, order=5)
        register_home_panel("meetings-team", panels.team_panel, order=15)
