"""Who sees which deals in the pipeline: a rep their own, a manager their team's, the admin
and the analyst everything."""

from __future__ import annotations

import pytest

from debrief.pipeline.tests.pages import deal_names


@pytest.fixture
def deals(cast, make_deal):
    make_deal(cast.rita, name="Rita's")
    make_deal(cast.nico, name="Nico's")
    make_deal(cast.oscar, name="Oscar's")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("rita", ["Rita's"]),
        ("nico", ["Nico's"]),
        ("maya", ["Nico's", "Rita's"]),
        ("sam", ["Oscar's"]),
        ("ana", ["Nico's", "Oscar's", "Rita's"]),
        ("adam", ["Nico's", "Oscar's", "Rita's"]),
    ],
)
def test_each_role_sees_its_own_deals(client, cast, deals, who, expected):
    # given
    client.force_login(getattr(cast, who))

    # when
    response = client.get("/deals/")

    # then
    assert response.status_code == 200
    assert sorted(deal_names(response)) == expected


def test_filtering_by_another_teams_owner_shows_nothing(client, cast, deals):
    # given
    client.force_login(cast.rita)

    # when
    response = client.get("/deals/", {"owner": cast.oscar.pk})

    # then
    assert deal_names(response) == []


def test_owner_choices_are_limited_to_what_the_user_may_see(client, cast, deals):
    # given
    client.force_login(cast.maya)

    # when
    page = client.get("/deals/").content.decode()

    # then
    assert "Rita Reyes</option>" in page
    assert "Nico Nowak</option>" in page
    assert "Oscar Olsen</option>" not in page


def test_the_new_deal_button_is_for_those_who_may_create(client, cast):
    # when
    client.force_login(cast.rita)
    rep_page = client.get("/deals/").content.decode()
    client.force_login(cast.ana)
    analyst_page = client.get("/deals/").content.decode()

    # then
    assert 'href="/deals/new/"' in rep_page
    assert 'href="/deals/new/"' not in analyst_page


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    # when
    response = client.get("/deals/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
