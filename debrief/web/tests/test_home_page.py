"""The home page shows each role the deals it is responsible for: a rep their own, a manager
their teams', an analyst or admin the whole organisation."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from debrief.pipeline import actions


def figure(response, name: str) -> str:
    html = response if isinstance(response, str) else response.content.decode()
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1)


@pytest.fixture
def world(cast, make_deal, stages):
    """Rita: two open deals and a win; Nico: one open deal; Oscar (South): one big one."""
    today = timezone.localdate()
    rita_soon = make_deal(
        cast.rita,
        name="Rita closes soon",
        amount=Decimal("25000"),
        expected_close_date=today,
        next_step="Send the proposal",
        next_step_date=today + dt.timedelta(days=3),
    )
    make_deal(
        cast.rita,
        name="Rita overdue step",
        amount=Decimal("40000"),
        next_step="Call the CFO back",
        next_step_date=today - dt.timedelta(days=2),
    )
    make_deal(cast.rita, name="Rita later step", next_step_date=today + dt.timedelta(days=30))
    make_deal(cast.rita, name="Rita already won", stage=stages["Closed Won"])
    make_deal(cast.nico, name="Nico's deal", amount=Decimal("10000"))
    make_deal(cast.oscar, name="Oscar's big deal", amount=Decimal("999999"))
    actions.move_deal_stage(rita_soon, cast.rita, stages["Discovery"])
    return cast


def test_a_rep_sees_only_their_own_deals(client, world):
    # given
    client.force_login(world.rita)

    # when
    response = client.get("/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert figure(response, "open-count") == "3"
    assert figure(response, "open-value") == "90,000"
    assert "open deals · avg USD 30,000" in html
    assert figure(response, "closing-count") == "1"
    assert figure(response, "won-lost") == "1 / 0"
    assert "Oscar" not in html and "999,999" not in html
    assert "Nico" not in html
    assert "By rep" not in html


def test_a_reps_next_steps_are_due_within_a_week_overdue_first(client, world):
    # given
    client.force_login(world.rita)

    # when
    html = client.get("/").content.decode()

    # then
    assert figure(html, "due-count") == "2"
    assert html.index("Call the CFO back") < html.index("Send the proposal")
    assert "1 overdue" in html
    assert "Rita later step</a>" not in html.split('id="closing-title"')[0]


def test_a_rep_sees_the_latest_activity_on_their_deals(client, world):
    # given
    client.force_login(world.rita)

    # when
    html = client.get("/").content.decode()

    # then
    assert "Stage moved from Prospecting to Discovery" in html
    assert "Deal won" in html
    assert "Oscar&#x27;s big deal" not in html


def test_a_manager_sees_their_team_and_each_rep(client, world):
    # given
    client.force_login(world.maya)

    # when
    response = client.get("/")

    # then
    html = response.content.decode()
    assert figure(response, "open-count") == "4"
    assert figure(response, "open-value") == "100,000"
    assert "By rep" in html
    reps = html.split('id="reps-title"')[1]
    assert "Rita Reyes" in reps and "Nico Nowak" in reps
    assert "Oscar" not in html


def test_the_other_teams_manager_sees_none_of_north(client, world):
    # given
    client.force_login(world.sam)

    # when
    response = client.get("/")

    # then
    html = response.content.decode()
    assert figure(response, "open-count") == "1"
    assert "Oscar Olsen" in html
    assert "Rita" not in html


@pytest.mark.parametrize("who", ["ana", "adam"])
def test_analysts_and_admins_see_the_whole_organisation(client, world, who):
    # given
    client.force_login(getattr(world, who))

    # when
    response = client.get("/")

    # then
    html = response.content.decode()
    assert figure(response, "open-count") == "5"
    assert figure(response, "open-value") == "1,099,999"
    teams = html.split('id="teams-title"')[1]
    assert "North" in teams and "South" in teams
    assert "The whole organisation" in html


def test_a_new_rep_gets_a_friendly_empty_page(client, cast):
    # given
    client.force_login(cast.nico)

    # when
    html = client.get("/").content.decode()

    # then
    assert "No next steps due this week." in html
    assert "Nothing has happened on your deals yet." in html
