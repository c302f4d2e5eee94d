"""A user edits their own name and time zone; times are then shown in that zone."""

from __future__ import annotations

import datetime as dt

from debrief.org import actions


def test_a_user_changes_name_and_time_zone(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post(
        "/me/", {"full_name": "Rita Reyes-Ng", "time_zone": "Asia/Tokyo"}, follow=True
    )

    # then
    assert response.redirect_chain == [("/me/", 302)]
    html = response.content.decode()
    assert "Your profile is saved." in html
    assert '<option value="Asia/Tokyo" selected>' in html
    rita.refresh_from_db()
    assert (rita.full_name, rita.time_zone) == ("Rita Reyes-Ng", "Asia/Tokyo")


def test_times_are_shown_in_the_users_time_zone(client, rita):
    # given: a token made at 23:30 UTC, which is 08:30 the next day in Tokyo
    token, _ = actions.create_api_token(rita, rita, "Reporting")
    token.created_at = dt.datetime(2030, 1, 1, 23, 30, tzinfo=dt.UTC)
    token.save(update_fields=["created_at"])
    actions.update_user(rita, rita, time_zone="Asia/Tokyo")
    client.force_login(rita)

    # when
    html = client.get("/me/").content.decode()

    # then
    assert "2 Jan 2030, 08:30" in html


def test_an_unknown_time_zone_is_refused_beside_the_field(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/me/", {"full_name": "Rita", "time_zone": "Mars/Olympus"})

    # then
    assert response.status_code == 400
    assert 'id="id_time_zone_error"' in response.content.decode()
    rita.refresh_from_db()
    assert (rita.full_name, rita.time_zone) == ("Rita Reyes", "UTC")


def test_a_name_cannot_be_emptied(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/me/", {"full_name": "  ", "time_zone": "UTC"})

    # then
    assert response.status_code == 400
    assert 'id="id_full_name_error"' in response.content.decode()
