"""Insights: rollups kept current by the actions, metrics, charts and CSV exports."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


class InsightsConfig(AppConfig):
    name = "debrief.insights"
    label = "insights"

    def ready(self) -> None:
        from debrief.learning.models import PracticeMatch
        from debrief.losses.models import Debrief, Lesson, LossRecord, OwnItReview
        from debrief.meetings.models import BadMeeting, MeetingOutcome, MeetingPlan
        from debrief.pipeline.models import Customer
        from debrief.pipeline.signals import deal_changed
        from debrief.relationships.models import RelationshipEvent

        deal_changed.connect(_deal_changed, dispatch_uid="insights-deal-changed")
        # Parts of the loop that change a deal's figures without a deal_changed signal.
        for model, uid in (
            (LossRecord, "loss"),
            (OwnItReview, "own-it"),
            (Debrief, "debrief"),
            (Lesson, "lesson"),
            (MeetingOutcome, "meeting-outcome"),
            (MeetingPlan, "meeting-plan"),
            (BadMeeting, "bad-meeting"),
        ):
            post_save.connect(_loop_row_saved, sender=model, dispatch_uid=f"insights-{uid}")
        post_save.connect(_match_saved, sender=PracticeMatch, dispatch_uid="insights-match")
        post_save.connect(
            _relationship_event_saved, sender=RelationshipEvent, dispatch_uid="insights-rel"
        )
        post_save.connect(_customer_saved, sender=Customer, dispatch_uid="insights-customer")
        _register_after_import()


def _register_after_import() -> None:
    """Rebuild the rollups after an import or a demo load (both write in bulk, without the
    signals)."""
    from debrief.demo import generate as demo
    from debrief.imports import actions as imports

    imports.register_after_import(_rebuild_after_import)
    if _rebuild_after_import not in demo.after_load:
        demo.after_load.append(_rebuild_after_import)


def _rebuild_after_import(*args: Any, **kwargs: Any) -> None:
    from debrief.insights.rollups import rebuild

    rebuild()


def _deal_changed(sender: Any, *, deal_id: int, **_: Any) -> None:
    _refresh_deal(deal_id)


def _later(fn: Any, *args: Any) -> None:
    """Run after the change commits (so nothing is read at save time, and a rolled-back
    change leaves the rollups alone)."""
    transaction.on_commit(partial(fn, *args))


def _loop_row_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    """A loss, review, debrief, lesson or meeting row changed: refresh its deal's figures.
    Not while a backup is restored (raw): it brings its own rollups."""
    if raw:
        return
    if hasattr(instance, "deal_id"):
        _later(_refresh_deal, instance.deal_id)
    elif hasattr(instance, "loss_id"):
        _later(_refresh_deal_of_loss, instance.loss_id)
    else:  # meeting rows
        _later(_refresh_deal_of_meeting, instance.meeting_id)


def _refresh_deal(deal_id: int) -> None:
    from debrief.insights.rollups import refresh_deal

    refresh_deal(deal_id)


def _refresh_deal_of_loss(loss_id: int) -> None:
    from debrief.losses.models import LossRecord

    for deal_id in LossRecord.objects.filter(pk=loss_id).values_list("deal_id", flat=True):
        _refresh_deal(deal_id)


def _refresh_deal_of_meeting(meeting_id: int) -> None:
    from debrief.meetings.models import Meeting

    for deal_id in Meeting.objects.filter(pk=meeting_id).values_list("deal_id", flat=True):
        _refresh_deal(deal_id)


def _match_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    from debrief.learning.models import MatchStatus

    if not raw and instance.status == MatchStatus.APPLIED:
        _later(_refresh_practice_sources, instance.practice_id)


def _refresh_practice_sources(practice_id: int) -> None:
    """A practice applied to a deal: the losses whose lessons it came from now have a first
    application."""
    from debrief.losses.models import LossRecord

    for deal_id in (
        LossRecord.objects.filter(lessons__practices=practice_id)
        .values_list("deal_id", flat=True)
        .distinct()
    ):
        _refresh_deal(deal_id)


def _relationship_event_saved(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if raw:
        return
    _later(_refresh_relationship, instance.relationship_id)


def _refresh_relationship(relationship_id: int) -> None:
    from debrief.insights.rollups import refresh_customer
    from debrief.relationships.models import Relationship

    for customer_id in Relationship.objects.filter(pk=relationship_id).values_list(
        "customer_id", flat=True
    ):
        refresh_customer(customer_id)


def _customer_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any
) -> None:
    if not created and not raw:
        _later(_refresh_customer_deals, instance.pk)


def _refresh_customer_deals(customer_id: int) -> None:
    """Segment, region, owner or team of a customer changed: its deals regroup."""
    from debrief.insights.rollups import refresh_customer
    from debrief.pipeline.models import Deal

    for deal_id in Deal.objects.filter(customer_id=customer_id).values_list("pk", flat=True):
        _refresh_deal(deal_id)
    refresh_customer(customer_id)
