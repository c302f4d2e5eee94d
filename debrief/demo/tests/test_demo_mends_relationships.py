"""The demo's relationships: mostly intact; strained after damaging losses and bad meetings;
some broken, recovering with a plan of touchpoints, restored after weeks, months or more than
a year, a few lost for good; every change an event row; changes of rep and re-engagement
dates. The home pages show the recovery work due."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from debrief.org.models import User
from debrief.pipeline.models import Customer, FollowUp
from debrief.relationships.models import (
    Relationship,
    RelationshipEvent,
    RelationshipStatus,
    Touchpoint,
)

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db


def test_most_relationships_are_intact_and_every_status_shows_up(demo):
    statuses = Counter(Relationship.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == Customer.objects.count()
    assert statuses[RelationshipStatus.INTACT] > 0.5 * Customer.objects.count()
    assert set(statuses) == set(RelationshipStatus.values)
    assert statuses[RelationshipStatus.LOST_FOR_GOOD] < statuses[RelationshipStatus.RESTORED]


def test_every_change_is_an_event_and_the_time_to_mend_spreads(demo):
    # the last status change of each relationship is its status
    for relationship in Relationship.objects.exclude(status=RelationshipStatus.INTACT):
        last = relationship.events.filter(kind="status_changed").order_by("-at", "-pk").first()
        assert last is not None and last.to_status == relationship.status
        assert last.at == relationship.status_since
    assert not RelationshipEvent.objects.filter(
        relationship__status=RelationshipStatus.INTACT
    ).exists()
    # how long mending took: weeks, months, and for some more than a year
    days = [
        e.data["days_to_mend"]
        for e in RelationshipEvent.objects.filter(to_status=RelationshipStatus.RESTORED)
    ]
    assert len(days) > 20
    assert min(days) < 60 and any(90 < d < 365 for d in days) and max(days) > 300
    # damaged ones know since when
    assert not Relationship.objects.filter(
        status__in=[RelationshipStatus.STRAINED, RelationshipStatus.BROKEN], damaged_since=None
    ).exists()


def test_recovery_plans_have_touchpoints_done_and_due_with_owners(demo):
    touchpoints = Touchpoint.objects.all()
    assert touchpoints.filter(done_at__isnull=False).count() > 50
    due = touchpoints.filter(done_at__isnull=True)
    assert due.exists()
    assert not touchpoints.filter(relationship__status=RelationshipStatus.INTACT).exists()
    done_events = RelationshipEvent.objects.filter(kind="touchpoint_done").count()
    assert done_events == touchpoints.filter(done_at__isnull=False).count()
    assert RelationshipEvent.objects.filter(kind="rep_changed").exists()
    re_engaging = Relationship.objects.filter(re_engage_on__isnull=False)
    assert re_engaging.exists()
    for relationship in re_engaging.select_related("re_engage_follow_up"):
        follow_up = relationship.re_engage_follow_up
        assert follow_up is not None and follow_up.kind == "re_engagement"
        assert relationship.re_engage_on is not None
        assert follow_up.due_on == relationship.re_engage_on > TODAY
    assert FollowUp.objects.filter(kind="re_engagement").count() == re_engaging.count()


def test_the_home_page_shows_the_recovery_work_due(demo, client):
    owners = set(
        Touchpoint.objects.filter(
            done_at__isnull=True, due_on__lte=TODAY + dt.timedelta(days=7)
        ).values_list("owner", flat=True)
    )
    assert owners
    client.force_login(User.objects.get(pk=sorted(owners)[0]))
    assert 'id="home-relationships"' in client.get("/").content.decode()
