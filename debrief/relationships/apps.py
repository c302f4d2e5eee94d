"""The relationships app: it strains a relationship when a loss or a bad meeting damages it,
and adds its section to the deal page and its panel to the home page."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "debrief.relationships"
    label = "relationships"

    def ready(self) -> None:
        from debrief.pipeline.panels import register_deal_panel
        from debrief.pipeline.signals import relationship_damaged
        from debrief.relationships import panels
        from debrief.web.panels import register_home_panel

        relationship_damaged.connect(_strain, dispatch_uid="relationships-strain")
        register_deal_panel("relationships", panels.deal_panel, order=40)
        register_home_panel("relationships", panels.home_panel, order=40)


def _strain(sender: Any, *, customer: Any, by: Any, reason: str, at: Any = None, **_: Any) -> None:
    """A loss or a bad meeting damaged the relationship: mark it strained."""
    from debrief.relationships.actions import strain_after_damage

    strain_after_damage(customer, by, reason, at)
