"""Time to mend in aggregate (relationships.queries.time_to_mend): every restored span in
scope — count, median, mean, the share within 3 months / 3–12 months / over a year — and the
share of damaged relationships never restored, with exact figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.org import access
from debrief.relationships import actions, queries
from debrief.relationships.models import Relationship
from debrief.relationships.tests.helpers import damage, mend


def _ago(days):
    return timezone.now() - dt.timedelta(days=days)


def test_the_figures_over_every_restored_span(rita, oscar, make_customer):
    # given one customer mended twice: in 10 days, then in 90
    twice = make_customer(owner=rita)
    actions.change_status(twice, rita, "strained", at=_ago(120))
    actions.change_status(twice, rita, "restored", at=_ago(110))
    actions.change_status(twice, rita, "strained", at=_ago(90))
    actions.change_status(twice, rita, "restored")
    # and four mended once: in 91, 200, 365 and 400 days
    for days in (91, 200, 365, 400):
        mend(make_customer(owner=rita), rita, damaged_days_ago=days)
    # and the ones not restored
    actions.change_status(make_customer(owner=rita), rita, "lost_for_good", reason="Gone")
    damage(make_customer(owner=rita), rita, days_ago=400)  # still strained after a year
    damage(make_customer(owner=rita), rita, days_ago=366, status="broken")  # broken for a year
    damage(make_customer(owner=rita), rita, days_ago=30)  # strained, but only a month
    actions.relationship_of(make_customer(owner=rita))  # intact: never damaged
    # and another team's mend, out of Rita's scope
    mend(make_customer(owner=oscar), oscar, damaged_days_ago=5)

    # when
    figures = queries.time_to_mend(access.relationships_visible_to(rita))

    # then
    assert figures.days == [10, 90, 91, 200, 365, 400]
    assert figures.count == 6
    assert figures.median_days == 145.5
    assert figures.mean_days == 192.7
    assert (figures.within_3_months, figures.months_3_to_12, figures.over_a_year) == (2, 3, 1)
    assert figures.within_3_months_share == 33.3
    assert figures.months_3_to_12_share == 50.0
    assert figures.over_a_year_share == 16.7
    assert figures.months_or_more_share == 66.7
    assert figures.damaged == 9  # 5 mended, lost for good, 3 still strained or broken
    assert figures.never_restored == 3
    assert figures.never_restored_share == 33.3


def test_a_relationship_damaged_without_its_event_still_counts(rita, make_customer):
    # given a relationship put straight into 'lost for good' by an import, without events
    customer = make_customer(owner=rita)
    Relationship.objects.filter(pk=actions.relationship_of(customer).pk).update(
        status="lost_for_good"
    )

    figures = queries.time_to_mend(Relationship.objects.all())

    assert (figures.damaged, figures.never_restored, figures.never_restored_share) == (1, 1, 100.0)


def test_nothing_to_measure_gives_no_figures(rita):
    figures = queries.time_to_mend(access.relationships_visible_to(rita))

    assert figures.count == 0
    assert figures.median_days is None
    assert figures.mean_days is None
    assert figures.within_3_months_share is None
    assert figures.never_restored_share is None


def test_two_queries_whatever_the_number_of_relationships(
    rita, make_customer, django_assert_num_queries
):
    for days in (10, 20, 30):
        mend(make_customer(owner=rita), rita, damaged_days_ago=days)
    scope = Relationship.objects.all()

    with django_assert_num_queries(2):
        queries.time_to_mend(scope)
