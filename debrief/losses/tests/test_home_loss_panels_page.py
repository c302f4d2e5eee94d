"""The home page after losses: a rep sees the own-it reviews still to write and the debriefs
they lead; a manager sees reps on a losing run, overdue post-mortems, debriefs due and the
customers still to ask for a post-mortem call."""

from __future__ import annotations

from decimal import Decimal

from debrief.losses import actions
from debrief.losses.models import Debrief
from debrief.losses.tests.page_helpers import lose, reason, section
from debrief.pipeline import actions as pipeline_actions
from debrief.pipeline.models import FollowUp, Stage


def test_a_rep_sees_reviews_to_write_and_debriefs_to_lead(client, rita, make_deal):
    # given two losses, one of them already reviewed
    lose(make_deal(rita, name="Unreviewed"), rita)
    done = lose(make_deal(rita, name="Reviewed"), rita)
    actions.write_own_it_review(
        done.own_it,
        rita,
        could_have_done_differently="I rushed.",
        will_do_next_time="I will slow down.",
        decisive_reason=reason("Price"),
    )
    client.force_login(rita)

    # when
    response = client.get("/")

    # then
    assert "Unreviewed" in section(response, "own-it-to-write", "ul")
    assert "Reviewed" not in section(response, "own-it-to-write", "ul").replace("Unreviewed", "")
    assert "Reviewed" in section(response, "debriefs-leading", "ul")


def test_nothing_to_do_means_no_panel(client, rita, make_deal):
    client.force_login(rita)
    assert 'id="home-losses-mine"' not in client.get("/").content.decode()


def test_the_manager_sees_a_losing_streak_and_an_overdue_post_mortem(
    client, maya, rita, nico, make_deal
):
    # given rita lost her last three deals; nico won his last one after two losses
    for n in range(3):
        lose(make_deal(rita, name=f"Rita {n}"), rita)
    for n in range(2):
        lose(make_deal(nico, name=f"Nico {n}"), nico)
    won = make_deal(nico)
    pipeline_actions.move_deal_stage(won, nico, Stage.objects.get(name="Closed Won"))
    # and a major loss a month ago whose post-mortem was never held
    lose(make_deal(rita, name="Big one", amount=Decimal("750000")), rita, days_ago=30)
    client.force_login(maya)

    # when
    response = client.get("/")

    # then
    panel = section(response, "home-losses-team")
    assert "On a losing run" in panel
    assert "Rita Reyes 4 losses in a row" in panel
    assert "Nico Nowak" not in section(response, "losing-streaks", "div")
    assert "Big one" in section(response, "overdue-post-mortems", "div")
    assert "Customers to ask for a post-mortem" in panel


def test_the_manager_ticks_off_a_customer_contacted_from_home(client, maya, rita, make_deal):
    # given
    debrief = lose(make_deal(rita, amount=Decimal("400000")), rita).debrief
    client.force_login(maya)

    # when
    response = client.post(f"/debriefs/{debrief.pk}/follow-up/", {"next": "/"})

    # then
    assert response["Location"] == "/"
    assert debrief_follow_up(debrief).done_at is not None
    assert "Customers to ask" not in section(client.get("/"), "home-losses-team")


def test_the_follow_up_is_not_for_the_other_team_or_the_analyst(
    client, rita, oscar, ana, make_deal
):
    # given
    debrief = lose(make_deal(rita, amount=Decimal("400000")), rita).debrief

    # when / then
    client.force_login(oscar)
    assert client.post(f"/debriefs/{debrief.pk}/follow-up/").status_code == 404
    client.force_login(ana)
    assert client.post(f"/debriefs/{debrief.pk}/follow-up/").status_code == 403
    assert debrief_follow_up(debrief).done_at is None


def test_a_next_elsewhere_is_not_followed(client, maya, rita, make_deal):
    debrief = lose(make_deal(rita, amount=Decimal("400000")), rita).debrief
    client.force_login(maya)
    response = client.post(
        f"/debriefs/{debrief.pk}/follow-up/", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == f"/debriefs/{debrief.pk}/"


def debrief_follow_up(debrief: Debrief) -> FollowUp:
    """The manager's task to ask the customer for the post-mortem call."""
    assert debrief.contact_follow_up_id is not None
    return FollowUp.objects.get(pk=debrief.contact_follow_up_id)
