"""Learning as a team: retros, best practices, and matching them to live deals."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "debrief.learning"
    label = "learning"

    def ready(self) -> None:
        from debrief.learning import panels
        from debrief.pipeline.panels import register_deal_panel
        from debrief.pipeline.signals import deal_changed
        from debrief.web.panels import register_home_panel

        deal_changed.connect(_rematch_later, dispatch_uid="learning-rematch")
        register_deal_panel("learning", panels.deal_panel, order=30)
        register_home_panel("learning", panels.home_panel, order=35)


def _rematch_later(sender: Any, *, deal_id: int, **_: Any) -> None:
    """A deal was created or changed: re-test it against the published practices in the
    background (the signal is sent after the change committed)."""
    from debrief.learning.tasks import rematch_deal_task

    rematch_deal_task.enqueue(deal_id)
