"""The list of meetings in the user's scope: upcoming, past, awaiting their outcome, or bad;
paginated, with the same number of queries however many meetings there are."""

from __future__ import annotations

import pytest

from debrief.meetings import actions
from debrief.meetings.tests.page_helpers import meeting, section


def _world(rita, oscar, make_deal, n: int) -> None:
    for i in range(n):
        deal = make_deal(rita, name=f"Rita deal {i}")
        meeting(deal, rita, hours=24 + i, title=f"Ahead {i}")
        done = meeting(deal, rita, hours=-24 - i, title=f"Held {i}")
        actions.flag_bad_meeting(done, rita, causes=["timing"], consequences=[])
        meeting(deal, rita, hours=-48 - i, title=f"Unrecorded {i}")
    meeting(make_deal(oscar, name="Oscar deal"), oscar, hours=24, title="Oscar's meeting")


@pytest.mark.parametrize(
    ("tab", "shown", "hidden"),
    [
        ("upcoming", "Ahead 0", "Held 0"),
        ("past", "Held 0", "Ahead 0"),
        ("needs_outcome", "Unrecorded 0", "Ahead 0"),
        ("bad", "Held 0", "Unrecorded 0"),
    ],
)
def test_each_tab_lists_its_meetings_in_the_users_scope(
    client, rita, oscar, make_deal, tab, shown, hidden
):
    _world(rita, oscar, make_deal, 1)
    client.force_login(rita)

    table = section(client.get(f"/meetings/?show={tab}"), "meeting-table")

    assert shown in table
    assert hidden not in table
    assert "Oscar's meeting" not in table


def test_a_manager_sees_the_teams_meetings(client, maya, rita, oscar, make_deal):
    _world(rita, oscar, make_deal, 1)
    client.force_login(maya)

    table = section(client.get("/meetings/"), "meeting-table")

    assert "Ahead 0" in table and "Rita Reyes" in table
    assert "Oscar's meeting" not in table


def test_htmx_gets_just_the_table(client, rita, oscar, make_deal):
    _world(rita, oscar, make_deal, 1)
    client.force_login(rita)

    response = client.get("/meetings/?show=past", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body and "Held 0" in body


# Session, user, (a manager's teams), the count, the page, the organisation.
QUERIES = {"rita": 5, "maya": 6, "ana": 5}


@pytest.mark.parametrize("who", ["rita", "maya", "ana"])
@pytest.mark.parametrize("tab", ["upcoming", "past", "needs_outcome", "bad"])
def test_the_list_runs_the_same_queries_for_3_or_30_meetings(
    client, cast, make_deal, django_assert_num_queries, who, tab
):
    # given a few meetings
    client.force_login(getattr(cast, who))
    _world(cast.rita, cast.oscar, make_deal, 1)
    with django_assert_num_queries(QUERIES[who]):
        assert client.get(f"/meetings/?show={tab}").status_code == 200

    # when there are ten times as many
    _world(cast.rita, cast.oscar, make_deal, 10)
    with django_assert_num_queries(QUERIES[who]):
        response = client.get(f"/meetings/?show={tab}")

    # then the same number of queries ran
    assert response.status_code == 200
