"""The demo's learning: a few retros per team on lost deals (groups of three, proposals,
merges, votes), the practices they produced (published, a draft, a retired one) with their
conditions and sources, matches in every state that the real matching explains, and enough
closed deals for "did it work?" to show that applying a practice helps."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from debrief.learning import matching
from debrief.learning.models import (
    BestPractice,
    DealWords,
    MatchStatus,
    PracticeEvent,
    PracticeMatch,
    PracticeStatus,
    ProposalStatus,
    Retro,
    RetroStatus,
    Vote,
)
from debrief.learning.queries import TOO_FEW, conditions_of, deal_facts, effect
from debrief.org.models import Team, User
from debrief.pipeline.models import Deal, DealStatus

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db


def test_each_team_ran_retros_on_its_lost_deals_in_groups(demo):
    for team in Team.objects.all():
        retros = Retro.objects.filter(team=team)
        assert retros.count() == 3
        assert retros.filter(status=RetroStatus.CLOSED).count() == 2
        for retro in retros:
            assert retro.deals.exists()
            assert not retro.deals.exclude(status=DealStatus.LOST).exists()
            assert not retro.deals.exclude(team=team).exists()
            sizes = [g.members.count() for g in retro.groups.all()]
            assert sizes and all(3 <= s <= 4 for s in sizes)
            assert sum(sizes) == retro.attendees.count()
    proposals = Counter(Retro.objects.values_list("proposals__status", flat=True))
    assert set(proposals) == set(ProposalStatus.values)
    assert Vote.objects.count() > 20


def test_practices_are_published_drafted_and_retired_with_conditions_and_sources(demo):
    statuses = Counter(BestPractice.objects.values_list("status", flat=True))
    assert statuses[PracticeStatus.PUBLISHED] >= 4
    assert statuses[PracticeStatus.DRAFT] >= 1 and statuses[PracticeStatus.RETIRED] >= 1
    practices = BestPractice.objects.all()
    assert practices.filter(stages__isnull=False).exists()
    assert practices.filter(competitors__isnull=False).exists()
    assert practices.filter(products__isnull=False).exists()
    assert practices.filter(reasons__isnull=False).exists()
    assert practices.exclude(segments=[]).exists()
    assert practices.filter(min_amount__isnull=False).exists()
    assert practices.filter(max_amount__isnull=False).exists()
    assert practices.exclude(keywords="").exists()
    assert practices.filter(source_deals__isnull=False, source_lessons__isnull=False).exists()
    kinds = set(PracticeEvent.objects.values_list("kind", flat=True))
    assert {"accepted", "published", "retired", "applied", "not_relevant"} <= kinds


def test_matches_in_every_state_explained_like_the_matcher_does(demo):
    matches = PracticeMatch.objects.all()
    states = Counter(matches.values_list("status", flat=True))
    assert set(states) == set(MatchStatus.values)
    assert not matches.filter(status=MatchStatus.EXPIRED, deal__status=DealStatus.OPEN)
    assert not matches.filter(status=MatchStatus.SUGGESTED).exclude(deal__status=DealStatus.OPEN)
    assert not matches.filter(practice__status=PracticeStatus.DRAFT).exists()
    # the stored reasons are what matching finds now for an open deal
    assert DealWords.objects.count() == Deal.objects.count()
    for practice in BestPractice.objects.filter(status=PracticeStatus.PUBLISHED):
        conditions = conditions_of(practice)
        sample = list(
            matches.filter(practice=practice, deal__status=DealStatus.OPEN).order_by("pk")[:20]
        )
        assert sample, practice
        facts = {f.deal_id: f for f in deal_facts([m.deal_id for m in sample])}
        for match in sample:
            assert matching.explain(conditions, facts[match.deal_id]) == match.reasons
            assert match.score == match.reasons["score"]


def test_did_it_work_shows_that_applying_a_practice_helps(demo, client):
    # when
    total, per_practice = effect(PracticeMatch.objects.all())

    # then
    assert total.applied.closed >= TOO_FEW and total.not_applied.closed >= TOO_FEW
    assert total.applied.win_rate > total.not_applied.win_rate  # type: ignore[operator]
    assert "beyond the margin of error" in total.verdict
    assert sum(e.applied.closed >= TOO_FEW for e in per_practice) >= 2


def test_a_reps_home_page_lists_practices_to_apply(demo, client):
    rep = User.objects.get(email="marcus.reid@demo.debrief.example")
    assert PracticeMatch.objects.filter(
        deal__owner=rep, status=MatchStatus.SUGGESTED, deal__status=DealStatus.OPEN
    ).exists()
    client.force_login(rep)
    assert 'id="to-apply"' in client.get("/").content.decode()
