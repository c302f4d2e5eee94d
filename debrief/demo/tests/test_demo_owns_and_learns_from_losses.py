"""The demo's reps have written most of their own-it reviews (the latest ones are still
waiting), and lessons drawn from held debriefs and own-it reviews link back to their source."""

from __future__ import annotations

import datetime as dt

import pytest

from debrief.losses.models import Debrief, DebriefStatus, Lesson, LossRecord, OwnItReview
from debrief.pipeline.models import DealEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
END = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)


def test_most_own_it_reviews_are_written_and_the_latest_are_still_waiting(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then every loss asks its rep for a review
    reviews = OwnItReview.objects.select_related("loss__deal")
    assert reviews.count() == LossRecord.objects.count()
    assert all(r.rep_id == r.loss.deal.owner_id for r in reviews)
    # about seven in ten are written, after the loss and before today
    written = reviews.filter(submitted_at__isnull=False)
    assert written.count() / reviews.count() == pytest.approx(0.70, abs=0.05)
    for review in written:
        assert review.could_have_done_differently and review.will_do_next_time
        assert review.submitted_at is not None
        assert review.loss.created_at < review.submitted_at < END
    # in the reps' own words, not one sentence for all
    assert len(set(written.values_list("could_have_done_differently", flat=True))) >= 50
    assert len(set(written.values_list("will_do_next_time", flat=True))) >= 30
    # the empty ones are empty, and the last days' losses wait for theirs
    empty = reviews.filter(submitted_at__isnull=True)
    assert all(r.is_empty and r.decisive_reason_id is None for r in empty)
    latest = reviews.filter(loss__lost_on__gte=TODAY - dt.timedelta(days=7))
    assert latest.count() >= 3
    assert latest.filter(submitted_at__isnull=True).count() / latest.count() > 0.5
    # and each written review left its event
    submitted = DealEvent.objects.filter(kind="own_it_submitted")
    assert submitted.count() == written.count()
    assert {e.data["loss_id"] for e in submitted} == set(written.values_list("loss_id", flat=True))
    assert {e.describe() for e in submitted} == {"Own-it review written"}


def test_every_lesson_links_back_to_its_source(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    lessons = Lesson.objects.select_related(
        "loss__deal__customer", "debrief", "own_it"
    ).prefetch_related("debrief__participants")
    assert lessons.count() > 300
    for lesson in lessons:
        loss, deal = lesson.loss, lesson.loss.deal
        assert lesson.team_id == deal.team_id
        assert lesson.statement and lesson.do_differently
        assert lesson.tag_stage_id == loss.stage_at_loss_id
        assert lesson.tag_segment == deal.customer.segment
        assert lesson.tag_reason_id is not None
        if lesson.source == "debrief":
            assert lesson.own_it is None and lesson.debrief is not None
            assert lesson.debrief.loss_id == loss.pk
            assert lesson.debrief.status == DebriefStatus.HELD
            assert lesson.debrief.held_at is not None
            assert lesson.author_id in {p.pk for p in lesson.debrief.participants.all()}
            assert lesson.created_at >= lesson.debrief.held_at
        else:
            assert lesson.source == "own_it"
            assert lesson.debrief is None and lesson.own_it is not None
            assert lesson.own_it.loss_id == loss.pk
            assert lesson.own_it.submitted_at is not None
            assert lesson.author_id == lesson.own_it.rep_id
            assert lesson.created_at >= lesson.own_it.submitted_at
        assert lesson.created_at < END


def test_most_held_debriefs_and_some_own_it_reviews_gave_lessons(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    held = Debrief.objects.filter(status=DebriefStatus.HELD)
    with_lessons = held.filter(lessons__isnull=False).distinct().count()
    assert with_lessons / held.count() == pytest.approx(0.85, abs=0.06)
    written = OwnItReview.objects.filter(submitted_at__isnull=False)
    taught = written.filter(lessons__isnull=False).distinct().count()
    assert taught / written.count() == pytest.approx(0.30, abs=0.06)
    assert not Debrief.objects.exclude(status=DebriefStatus.HELD).filter(lessons__isnull=False)
    # tagged with what lets a team find them again
    assert Lesson.objects.filter(tag_competitor__isnull=False).count() > 100
    assert Lesson.objects.exclude(tag_product="").count() > 100


def test_each_lesson_leaves_the_event_row_the_action_writes(demo):
    # given the demo organisation, loaded once for this module by `demo`
    # then
    events = {e.data["lesson_id"]: e for e in DealEvent.objects.filter(kind="lesson_recorded")}
    lessons = Lesson.objects.select_related("loss")
    assert len(events) == lessons.count()
    for lesson in lessons:
        event = events[lesson.pk]
        assert (event.deal_id, event.actor_id, event.at) == (
            lesson.loss.deal_id,
            lesson.author_id,
            lesson.created_at,
        )
        assert event.describe() == f"Lesson: {lesson.statement}"
