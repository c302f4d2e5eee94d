"""The sales core: customers, contacts, deals, stages and the pipeline."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class PipelineConfig(AppConfig):
    name = "debrief.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        from debrief.org.models import Team, User
        from debrief.pipeline.models import Competitor, Customer, Deal, Product, Stage

        for model in (Deal, Customer, Stage, Product, Competitor, Team, User):
            uid = f"pipeline-data-{model._meta.model_name}"
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for through in (
            Deal.products.through,
            Deal.competitors.through,
            Team.members.through,
            Team.managers.through,
        ):
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"pipeline-data-{through._meta.model_name}"
            )
        _register_bulk_writers()


def _changed(
    sender: Any,
    raw: bool = False,
    action: str = "post_",
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    """Not while a backup is restored (raw): the restore records one change at its end. A
    many-to-many change is recorded once, after it is made. A sign-in saves only the user's
    last_login, which no list shows: it would otherwise end every kept answer."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    if not raw and action.startswith("post_"):
        from debrief.pipeline.signals import pipeline_data_changed

        pipeline_data_changed()


def _register_bulk_writers() -> None:
    """Imports and the demo loader write in bulk, without the signals."""
    from debrief.demo import generate as demo
    from debrief.imports import actions as imports
    from debrief.pipeline.signals import pipeline_data_changed

    imports.register_after_import(pipeline_data_changed)
    if pipeline_data_changed not in demo.after_load:
        demo.after_load.append(pipeline_data_changed)
