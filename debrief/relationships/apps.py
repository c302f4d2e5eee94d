from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class RelationshipsConfig(AppConfig):
    name = "debrief.relationships"
    label = "relationships"

    def ready(self) -> None:
        from debrief.pipeline.signals import relationship_damaged

        relationship_damaged.connect(_strain, dispatch_uid="relationships-strain")


def _strain(sender: Any, *, customer: Any, by: Any, reason: str, at: Any = None, **_: Any) -> None:
    """A loss or a bad meeting damaged the relationship: mark it strained."""
    from debrief.relationships.actions import strain_after_damage

    strain_after_damage(customer, by, reason, at)
