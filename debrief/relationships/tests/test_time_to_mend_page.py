"""The time-to-mend page: the figures across the customers the user may see, against the
research's 64% (a few months to several years) and 6% (never)."""

from __future__ import annotations

import re

from debrief.relationships import actions
from debrief.relationships.tests.helpers import damage, mend, text


def _figure(response, name):
    match = re.search(rf'data-figure="{name}">([^<]*)<', response.content.decode())
    return match.group(1).strip() if match else None


def test_the_page_shows_the_figures_against_the_benchmark(client, rita, oscar, make_customer):
    # given
    for days in (30, 100, 500):
        mend(make_customer(owner=rita), rita, damaged_days_ago=days)
    actions.change_status(make_customer(owner=rita), rita, "lost_for_good")
    damage(make_customer(owner=oscar), oscar, days_ago=400)  # another team's: not counted
    client.force_login(rita)

    # when
    response = client.get("/relationships/time-to-mend/")

    # then
    assert response.status_code == 200
    assert _figure(response, "count") == "3"
    assert _figure(response, "median") == "100 days"
    assert _figure(response, "mean") == "210 days"
    assert _figure(response, "never") == "25%"
    page = text(response)
    assert "Within 3 months 1 33.3%" in page
    assert "3–12 months 1 33.3%" in page
    assert "Over a year 1 33.3%" in page
    assert "66.7% of our mends · research: 64% of salespeople" in page
    assert "25% of our damaged relationships · research: 6%" in page


def test_with_nothing_mended_yet(client, rita):
    client.force_login(rita)

    response = client.get("/relationships/time-to-mend/")

    assert response.status_code == 200
    assert _figure(response, "count") == "0"
    assert "No relationship has been restored yet." in text(response)
