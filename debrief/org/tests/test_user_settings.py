"""An admin adds users and changes their role, teams, time zone and access."""

from __future__ import annotations

import re

from conftest import PASSWORD
from debrief.org import actions
from debrief.org.models import User

NEW_PASSWORD = "plenty-long-initial-secret-7"


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def new_user(**changes: object) -> dict[str, object]:
    return {
        "email": "Tess@Example.com",
        "full_name": "Tess Tran",
        "role": "rep",
        "password": NEW_PASSWORD,
        **changes,
    }


def test_the_user_list_shows_roles_and_teams(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    html = client.get("/settings/users/").content.decode()

    # then
    row = html[html.index(">Maya Moreau</a>") :].split("</tr>")[0]
    assert "maya@example.com" in row and "Manager" in row and "North" in row
    assert "(manager)" in row


def test_the_user_list_searches_by_name_or_email(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    html = client.get("/settings/users/", {"q": "oscar@"}).content.decode()

    # then
    assert "Oscar Olsen" in html and "Rita Reyes" not in html


def test_the_user_list_queries_do_not_grow_with_teams(client, cast, django_assert_num_queries):
    # given: seven users on the page, then each of them in more teams
    client.force_login(cast.adam)
    with django_assert_num_queries(6):
        client.get("/settings/users/")
    for i in range(3):
        actions.create_team(
            cast.adam,
            name=f"Extra {i}",
            managers=[cast.maya],
            members=[cast.rita, cast.nico, cast.oscar],
        )

    # when / then
    with django_assert_num_queries(6):
        response = client.get("/settings/users/")
    assert "Extra 2" in response.content.decode()


def test_an_admin_creates_a_user_who_can_sign_in(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post("/settings/users/new/", new_user(teams=[cast.rita.teams.get().pk]))

    # then
    assert response.status_code == 302
    tess = User.objects.get(email="tess@example.com")
    assert (tess.full_name, tess.role, [t.name for t in tess.teams.all()]) == (
        "Tess Tran",
        "rep",
        ["North"],
    )
    client.logout()
    assert client.login(username="tess@example.com", password=NEW_PASSWORD)


def test_a_manager_created_with_a_team_manages_it(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    client.post("/settings/users/new/", new_user(role="manager", teams=[cast.oscar.teams.get().pk]))

    # then
    tess = User.objects.get(email="tess@example.com")
    assert [t.name for t in tess.managed_teams.all()] == ["South"]


def test_a_taken_email_is_refused_beside_the_email(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post("/settings/users/new/", new_user(email="RITA@example.com"))

    # then
    assert response.status_code == 400
    assert "already has an account" in field_error(response.content.decode(), "email")
    assert User.objects.filter(full_name="Tess Tran").count() == 0


def test_a_weak_password_is_refused_beside_the_password(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post("/settings/users/new/", new_user(password="12345"))

    # then
    assert response.status_code == 400
    assert "too short" in field_error(response.content.decode(), "password")
    assert not User.objects.filter(email="tess@example.com").exists()


def test_an_analyst_joins_no_team(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post(
        "/settings/users/new/", new_user(role="analyst", teams=[cast.rita.teams.get().pk])
    )

    # then
    assert "not members" in field_error(response.content.decode(), "teams")
    assert not User.objects.filter(email="tess@example.com").exists()


def test_an_admin_edits_a_user(client, cast):
    # given
    client.force_login(cast.adam)
    north, south = cast.rita.teams.get(), cast.oscar.teams.get()

    # when: Rita moves to South, in Lisbon
    response = client.post(
        f"/settings/users/{cast.rita.pk}/",
        {
            "full_name": "Rita Reyes",
            "role": "rep",
            "time_zone": "Europe/Lisbon",
            "is_active": "on",
            "member_of": [south.pk],
        },
    )

    # then
    assert response.status_code == 302
    rita = User.objects.get(pk=cast.rita.pk)
    assert rita.time_zone == "Europe/Lisbon"
    assert list(rita.teams.all()) == [south]
    assert north not in rita.teams.all()


def test_an_admin_promotes_a_rep_to_manage_a_team(client, cast):
    # given
    client.force_login(cast.adam)
    south = cast.oscar.teams.get()

    # when
    client.post(
        f"/settings/users/{cast.nico.pk}/",
        {
            "full_name": "Nico Nowak",
            "role": "manager",
            "time_zone": "UTC",
            "is_active": "on",
            "manages": [south.pk],
        },
    )

    # then
    nico = User.objects.get(pk=cast.nico.pk)
    assert nico.role == "manager"
    assert list(nico.managed_teams.all()) == [south]


def test_a_rep_cannot_manage_a_team_and_nothing_is_saved(client, cast):
    # given
    client.force_login(cast.adam)

    # when: a new name, but a team to manage that a rep may not have
    response = client.post(
        f"/settings/users/{cast.nico.pk}/",
        {
            "full_name": "Nicolas Nowak",
            "role": "rep",
            "time_zone": "UTC",
            "is_active": "on",
            "manages": [cast.oscar.teams.get().pk],
        },
    )

    # then
    assert response.status_code == 400
    assert "Only managers manage teams" in field_error(response.content.decode(), "manages")
    nico = User.objects.get(pk=cast.nico.pk)
    assert nico.full_name == "Nico Nowak"
    assert not nico.managed_teams.exists()


def test_an_admin_sets_a_new_password_for_a_user(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    client.post(
        f"/settings/users/{cast.oscar.pk}/",
        {
            "full_name": "Oscar Olsen",
            "role": "rep",
            "time_zone": "UTC",
            "is_active": "on",
            "password": NEW_PASSWORD,
        },
    )

    # then
    client.logout()
    assert client.login(username=cast.oscar.email, password=NEW_PASSWORD)


def test_a_weak_new_password_keeps_the_other_changes_back(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post(
        f"/settings/users/{cast.oscar.pk}/",
        {
            "full_name": "Oscar O.",
            "role": "rep",
            "time_zone": "UTC",
            "is_active": "on",
            "password": "123",
        },
    )

    # then
    assert field_error(response.content.decode(), "password")
    assert User.objects.get(pk=cast.oscar.pk).full_name == "Oscar Olsen"


def test_an_admin_deactivates_a_user_who_then_cannot_sign_in(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    client.post(
        f"/settings/users/{cast.oscar.pk}/",
        {
            "full_name": "Oscar Olsen",
            "role": "rep",
            "time_zone": "UTC",
            "member_of": [cast.oscar.teams.get().pk],
        },
    )

    # then
    client.logout()
    assert not client.login(username=cast.oscar.email, password=PASSWORD)


def test_an_admin_cannot_lock_themselves_out(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post(
        f"/settings/users/{cast.adam.pk}/",
        {"full_name": "Adam Achebe", "role": "rep", "time_zone": "UTC", "is_active": "on"},
    )

    # then
    assert "cannot remove your own admin access" in field_error(response.content.decode(), "role")
    assert User.objects.get(pk=cast.adam.pk).role == "admin"
