"""An admin creates teams and changes who manages them and who is in them."""

from __future__ import annotations

import re

from debrief.org.models import Team


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_the_team_list_shows_managers_and_members(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    html = client.get("/settings/teams/").content.decode()

    # then
    north = html[html.index(">North</a>") :].split("</tr>")[0]
    assert "Maya Moreau" in north and "Rita Reyes" in north and "Nico Nowak" in north
    assert "Oscar" not in north


def test_an_admin_creates_a_team(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post(
        "/settings/teams/new/",
        {"name": "East", "managers": [cast.sam.pk], "members": [cast.nico.pk]},
    )

    # then
    assert response.status_code == 302
    east = Team.objects.get(name="East")
    assert list(east.managers.all()) == [cast.sam]
    assert list(east.members.all()) == [cast.nico]


def test_a_team_name_is_taken_once(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    response = client.post("/settings/teams/new/", {"name": "north"})

    # then
    assert response.status_code == 400
    assert "already a team called" in field_error(response.content.decode(), "name")
    assert Team.objects.count() == 2


def test_an_admin_edits_a_team(client, cast):
    # given
    client.force_login(cast.adam)
    north = cast.rita.teams.get()

    # when: renamed, Sam co-manages, Nico leaves
    response = client.post(
        f"/settings/teams/{north.pk}/",
        {
            "name": "North & Central",
            "managers": [cast.maya.pk, cast.sam.pk],
            "members": [cast.rita.pk],
        },
    )

    # then
    assert response.status_code == 302
    north.refresh_from_db()
    assert north.name == "North & Central"
    assert set(north.managers.all()) == {cast.maya, cast.sam}
    assert list(north.members.all()) == [cast.rita]


def test_the_edit_form_shows_who_is_in_the_team(client, cast):
    # given
    client.force_login(cast.adam)
    north = cast.rita.teams.get()

    # when
    html = client.get(f"/settings/teams/{north.pk}/").content.decode()

    # then
    assert re.search(rf'name="managers" value="{cast.maya.pk}"[^>]*checked', html)
    assert re.search(rf'name="members" value="{cast.rita.pk}"[^>]*checked', html)
    assert not re.search(rf'name="members" value="{cast.oscar.pk}"[^>]*checked', html)


def test_a_rep_cannot_manage_and_nothing_is_saved(client, cast):
    # given
    client.force_login(cast.adam)
    north = cast.rita.teams.get()

    # when
    response = client.post(
        f"/settings/teams/{north.pk}/",
        {"name": "Renamed", "managers": [cast.rita.pk], "members": [cast.nico.pk]},
    )

    # then
    assert response.status_code == 400
    assert field_error(response.content.decode(), "managers")
    north.refresh_from_db()
    assert north.name == "North"
    assert list(north.managers.all()) == [cast.maya]
