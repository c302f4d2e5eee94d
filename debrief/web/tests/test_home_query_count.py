"""The home page costs the same number of queries whether there are few deals or many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from debrief.learning import actions as learning_actions
from debrief.pipeline import actions


def make_deals(cast, make_deal, stages, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        for owner in (cast.rita, cast.nico, cast.oscar):
            deal = make_deal(
                owner,
                expected_close_date=today,
                next_step="Follow up",
                next_step_date=today + dt.timedelta(days=i % 5),
            )
            actions.move_deal_stage(deal, owner, stages["Discovery"])
            if i % 3 == 0:
                actions.move_deal_stage(deal, None, stages["Closed Lost"])


@pytest.mark.parametrize(
    ("who", "queries", "with_practice"),
    [
        ("rita", 14, False),
        ("maya", 21, False),
        ("ana", 11, False),
        ("adam", 17, False),
        # A published practice matched to the open deals: Rita gets practices to apply.
        ("rita", 14, True),
        ("maya", 21, True),
    ],
)
@pytest.mark.parametrize("deals_each", [2, 12])
def test_home_page_queries_do_not_grow_with_deals(
    client,
    cast,
    make_deal,
    stages,
    django_assert_num_queries,
    who,
    queries,
    with_practice,
    deals_each,
):
    # given, besides the deals, a rep on a losing run: the manager's panel then has
    # someone to name, whatever the number of deals
    make_deals(cast, make_deal, stages, deals_each)
    for _ in range(3):
        actions.move_deal_stage(make_deal(cast.rita), None, stages["Closed Lost"])
    if with_practice:
        practice = learning_actions.write_practice(
            cast.maya,
            learning_actions.PracticeInput(statement="Follow up", stages=[stages["Discovery"]]),
            team=cast.maya.managed_teams.get(),
        )
        learning_actions.publish_practice(practice, cast.maya)
        learning_actions.match_practice(practice)  # in case matching runs in the background
    client.force_login(getattr(cast, who))

    # when / then
    with django_assert_num_queries(queries):
        response = client.get("/")
    assert response.status_code == 200
    assert ('id="to-apply"' in response.content.decode()) == (with_practice and who == "rita")
