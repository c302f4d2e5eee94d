"""The home page's relationship panel: a rep sees their recovery touchpoints due within a
week (or overdue) and their re-engagements due within 30 days; a manager sees the team's.
A fixed number of queries however many there are."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.relationships import actions
from debrief.relationships.models import Touchpoint
from debrief.relationships.tests.helpers import section


def _in(days):
    return timezone.localdate() + dt.timedelta(days=days)


def _touchpoint(customer, by, description, days, owner=None):
    return actions.add_touchpoint(
        customer, by, kind="call", description=description, due_on=_in(days), owner=owner or by
    )


def test_a_rep_sees_their_touchpoints_and_re_engagements_due(client, rita, nico, make_customer):
    # given
    acme = make_customer(name="Acme", owner=rita)
    _touchpoint(acme, rita, "Call within the week", 7)
    _touchpoint(acme, rita, "Call later", 8)
    overdue = _touchpoint(acme, rita, "Call that slipped", 0)
    Touchpoint.objects.filter(pk=overdue.pk).update(due_on=_in(-3))  # three days have passed
    done = _touchpoint(acme, rita, "Call already made", 1)
    actions.complete_touchpoint(done, rita)
    _touchpoint(acme, rita, "Nico's call", 1, owner=nico)
    actions.set_re_engagement(make_customer(name="Soon Corp", owner=rita), rita, on=_in(30))
    actions.set_re_engagement(make_customer(name="Later Corp", owner=rita), rita, on=_in(31))
    client.force_login(rita)

    # when
    panel = section(client.get("/"), "home-relationships")

    # then
    assert "Call within the week" in panel
    assert "Call that slipped" in panel and "overdue" in panel
    assert "Call later" not in panel
    assert "Call already made" not in panel
    assert "Nico's call" not in panel
    assert "Soon Corp" in panel
    assert "Later Corp" not in panel


def test_a_manager_sees_the_teams(client, rita, nico, maya, oscar, north, south, make_customer):
    _touchpoint(make_customer(name="Acme", owner=rita, team=north), rita, "Rita's call", 2)
    _touchpoint(make_customer(name="Bolt", owner=nico, team=north), nico, "Nico's call", 2)
    _touchpoint(make_customer(name="Crux", owner=oscar, team=south), oscar, "Oscar's call", 2)
    actions.set_re_engagement(make_customer(name="Delta", owner=nico, team=north), nico, on=_in(9))
    client.force_login(maya)

    panel = section(client.get("/"), "home-relationships")

    assert "Your team's relationships to mend" in panel
    assert "Rita's call" in panel and "Nico's call" in panel
    assert "Oscar's call" not in panel
    assert "Delta" in panel and "Nico Nowak" in panel


def test_nothing_due_means_no_panel(client, rita, ana):
    client.force_login(rita)
    assert 'id="home-relationships"' not in client.get("/").content.decode()
    client.force_login(ana)
    assert 'id="home-relationships"' not in client.get("/").content.decode()


def test_the_panel_costs_the_same_queries_however_many_rows(
    client,
    maya,
    rita,
    north,
    make_customer,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    def add(n):
        for _ in range(n):
            customer = make_customer(owner=rita, team=north)
            _touchpoint(customer, rita, "Call", 1)
            actions.set_re_engagement(customer, rita, on=_in(5))

    client.force_login(maya)
    add(1)
    with django_assert_max_num_queries(100) as few:
        client.get("/")
    add(6)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert section(response, "home-relationships").count("Call") == 7
