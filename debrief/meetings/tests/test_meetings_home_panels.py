"""The home page's meetings: a rep sees this week's meetings with their plans, meetings in the
next 48 hours without a sufficient plan (flagged), outcomes to record and decisions to take; a
manager sees the team's, plus meetings without plans and the last 30 days' bad meetings. The
queries do not grow with the number of meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from debrief.meetings import actions
from debrief.meetings.panels import week_bounds
from debrief.meetings.tests.page_helpers import meeting, section

READY: dict[str, Any] = {"purpose": "Scope", "best_outcome": "Pilot", "fallback_objective": "Demo"}


def _hours_later_this_week(default: float) -> float:
    """A time still within this week (the week ends on Monday 00:00)."""
    _, end = week_bounds()
    left = (end - timezone.now()).total_seconds() / 3600
    return min(default, left - 0.5)


def test_a_rep_sees_what_to_prepare_and_what_to_record(client, rita, oscar, make_deal):
    # given
    deal = make_deal(rita, name="Acme", amount=Decimal("10000"))
    meeting(deal, rita, hours=20, title="Unplanned soon")
    ready = meeting(deal, rita, hours=21, title="Planned soon")
    actions.write_plan(ready, rita, **READY)
    meeting(deal, rita, hours=-3, title="Held this morning")
    bad = meeting(deal, rita, hours=-50, title="Went badly")
    actions.flag_bad_meeting(bad, rita, causes=["timing"], consequences=[])
    meeting(make_deal(oscar), oscar, hours=5, title="Oscar's meeting")
    client.force_login(rita)

    # when
    home = client.get("/")

    # then
    panel = section(home, "home-meetings-mine")
    assert "Oscar's meeting" not in panel
    if ready.starts_at < week_bounds()[1]:  # late on a Sunday, they are next week's
        week = section(home, "home-meetings-mine-week")
        assert "Planned soon" in week and "Plan ready" in week
        assert "Unplanned soon" in week and "Plan 0% — needed" in week
    unplanned = section(home, "home-meetings-mine-unplanned")
    assert "Unplanned soon" in unplanned and "Planned soon" not in unplanned
    to_record = section(home, "home-meetings-mine-to-record")
    assert "Held this morning" in to_record and "Went badly" in to_record
    assert "Acme" in section(home, "home-meetings-mine-decisions")
    assert section(home, "home-meetings-team") == ""


def test_a_rep_with_no_meetings_sees_no_panel(client, rita):
    client.force_login(rita)

    assert section(client.get("/"), "home-meetings-mine") == ""


def test_a_manager_sees_the_teams_meetings_plans_and_bad_meetings(
    client, maya, rita, oscar, make_deal
):
    # given a large deal's meeting next week with half a plan, and a bad meeting
    deal = make_deal(rita, name="Borealis", amount=Decimal("90000"))
    later = meeting(deal, rita, hours=24 * 6, title="Exec briefing")
    actions.write_plan(later, rita, **READY)
    went = meeting(deal, rita, hours=-24 * 3, title="Demo that crashed")
    actions.flag_bad_meeting(went, rita, causes=["quality"], consequences=[])
    old = meeting(deal, rita, hours=-24 * 40, title="Long ago")
    actions.flag_bad_meeting(old, rita, causes=["pricing"], consequences=[])
    from debrief.meetings.models import BadMeeting

    BadMeeting.objects.filter(meeting=old).update(flagged_at=timezone.now() - dt.timedelta(days=40))
    meeting(make_deal(oscar, name="South deal"), oscar, hours=24 * 2, title="South meeting")
    client.force_login(maya)

    # when
    home = client.get("/")

    # then
    without = section(home, "home-meetings-team-without-plans")
    assert "Exec briefing" in without and "Rita Reyes" in without
    recent = section(home, "home-meetings-team-bad")
    assert "Borealis" in recent and "product or service quality" in recent
    assert "pricing" not in recent
    assert "South" not in section(home, "home-meetings-team")
    assert section(home, "home-meetings-mine") == ""


def _world(rep, make_deal, n: int) -> None:
    for i in range(n):
        deal = make_deal(rep, name=f"Deal {rep.pk}-{i}")
        meeting(deal, rep, hours=_hours_later_this_week(10 + i), title=f"Ahead {i}")
        meeting(deal, rep, hours=24 * 5, title=f"Next week {i}")
        done = meeting(deal, rep, hours=-2 - i, title=f"Held {i}")
        actions.flag_bad_meeting(done, rep, causes=["quality"], consequences=[])


def test_the_panels_run_the_same_queries_for_few_or_many_meetings(
    client, maya, rita, nico, make_deal, django_assert_num_queries
):
    for user in (rita, maya):
        # given a few meetings
        client.force_login(user)
        _world(rita, make_deal, 1)
        with CaptureQueriesContext(connection) as few:
            assert client.get("/").status_code == 200

        # when there are many more, for more reps
        _world(rita, make_deal, 6)
        _world(nico, make_deal, 6)

        # then the home page runs the same number of queries
        with django_assert_num_queries(len(few.captured_queries)):
            assert client.get("/").status_code == 200
