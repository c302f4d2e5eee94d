"""`make run` calls `debrief demo --if-empty` on every start: only the first one loads. A
database with deals is otherwise refused, unless --reset replaces an earlier demo."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from debrief.learning.models import BestPractice, DealWords, PracticeMatch, Retro
from debrief.losses.actions import LessonInput, record_lesson
from debrief.losses.models import (
    Debrief,
    DebriefAnswer,
    Lesson,
    LossRecord,
    LossRecordReason,
    OwnItReview,
)
from debrief.meetings.models import BadMeeting, Meeting, MeetingPlan
from debrief.org.models import User
from debrief.pipeline.models import Customer, Deal, DealEvent, DealStatus, FollowUp
from debrief.relationships.models import Relationship

pytestmark = pytest.mark.django_db

SMALL = ["--deals", "120", "--customers", "12"]


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_if_empty_loads_the_first_time_and_does_nothing_after():
    # given
    demo("--if-empty", *SMALL)
    first = list(Deal.objects.values_list("pk", "name", "amount"))

    # when
    output = demo("--if-empty", *SMALL, "--seed", "2")

    # then
    assert "already has deals" in output
    assert list(Deal.objects.values_list("pk", "name", "amount")) == first
    assert User.objects.count() == 14


def test_a_database_with_deals_is_refused(rita, make_deal):
    # given
    make_deal(rita)

    # then
    with pytest.raises(CommandError, match=r"already has deals.*--if-empty.*--reset"):
        demo(*SMALL)
    assert Deal.objects.count() == 1


def test_reset_replaces_an_earlier_demo():
    # given
    demo(*SMALL, "--seed", "1")
    first = sorted(Deal.objects.values_list("name", "amount"))

    # when
    demo(*SMALL, "--seed", "2", "--reset")

    # then
    assert Deal.objects.count() == 120
    assert sorted(Deal.objects.values_list("name", "amount")) != first
    assert Customer.objects.count() == 12
    assert User.objects.count() == 14
    assert DealEvent.objects.filter(deal__isnull=True).count() == 0


def test_reset_replaces_the_loss_loop_of_an_earlier_demo():
    # given
    demo(*SMALL, "--seed", "1")
    assert Lesson.objects.exists() and FollowUp.objects.exists()

    # when
    demo(*SMALL, "--seed", "2", "--reset")

    # then only the new demo's losses, reviews, debriefs, answers, lessons and tasks are left
    lost = Deal.objects.filter(status=DealStatus.LOST)
    assert LossRecord.objects.count() == lost.count()
    assert set(LossRecord.objects.values_list("deal_id", flat=True)) == set(
        lost.values_list("pk", flat=True)
    )
    assert LossRecordReason.objects.exclude(loss__deal__in=lost).count() == 0
    assert OwnItReview.objects.count() == LossRecord.objects.count()
    assert Debrief.objects.count() == LossRecord.objects.exclude(debrief_consent="no").count()
    assert DebriefAnswer.objects.exclude(debrief__status="held").count() == 0
    assert Lesson.objects.exclude(loss__deal__in=lost).count() == 0
    assert (
        FollowUp.objects.filter(kind="post_mortem_request").count()
        == Debrief.objects.filter(kind="post_mortem").count()
    )


def test_reset_removes_what_people_added_to_the_demo_too():
    # given a demo, where a rep has since drawn a lesson of their own from a held debrief
    demo(*SMALL)
    debrief = Debrief.objects.filter(status="held").select_related("leader").first()
    assert debrief is not None
    record_lesson(
        debrief.leader, LessonInput(statement="Ask about the budget early."), debrief=debrief
    )

    # when
    demo(*SMALL, "--seed", "2", "--reset")

    # then
    assert not Lesson.objects.filter(statement="Ask about the budget early.").exists()


def test_reset_refuses_to_remove_deals_that_are_not_demo_data(rita, make_deal):
    # given
    make_deal(rita)

    # then
    with pytest.raises(CommandError, match="1 deals are not demo data"):
        demo(*SMALL, "--reset")
    assert Deal.objects.count() == 1


def test_reset_replaces_the_meetings_relationships_and_learning_of_an_earlier_demo():
    # given
    demo(*SMALL, "--seed", "1")
    assert Meeting.objects.exists() and BestPractice.objects.exists()
    first = sorted(Meeting.objects.values_list("title", "starts_at"))

    # when
    demo(*SMALL, "--seed", "2", "--reset")

    # then only the new demo's are left, each hanging off the new demo's deals and customers
    assert sorted(Meeting.objects.values_list("title", "starts_at")) != first
    assert MeetingPlan.objects.count() == Meeting.objects.count()
    assert (
        BadMeeting.objects.count()
        == BadMeeting.objects.filter(meeting__in=Meeting.objects.all()).count()
    )
    assert Relationship.objects.count() == Customer.objects.count() == 12
    assert Retro.objects.count() <= 6
    assert BestPractice.objects.count() == 10
    assert not PracticeMatch.objects.exclude(deal__in=Deal.objects.all()).exists()
    assert DealWords.objects.count() == Deal.objects.count()
    assert not FollowUp.objects.filter(customer__isnull=True, deal__isnull=True).exists()


def test_if_empty_leaves_the_meetings_relationships_and_learning_alone():
    # given
    demo("--if-empty", *SMALL)
    counts = [m.objects.count() for m in (Meeting, Relationship, BestPractice, PracticeMatch)]

    # when
    demo("--if-empty", *SMALL, "--seed", "2")

    # then
    assert [
        m.objects.count() for m in (Meeting, Relationship, BestPractice, PracticeMatch)
    ] == counts
    assert counts[0] > 0 and counts[1] == 12
