"""Users and teams are readable by everyone through the API: roles and teams, never a
password hash."""

from __future__ import annotations


def test_me_is_the_tokens_user_with_role_and_teams(api_client, maya):
    # when
    me = api_client.as_user(maya).get("/api/v1/me").json()

    # then
    assert me["name"] == "Maya Moreau"
    assert me["role"] == "manager"
    assert [t["name"] for t in me["managed_teams"]] == ["North"]
    assert me["teams"] == []


def test_users_list_everyone_without_passwords(api_client, cast):
    # when
    response = api_client.as_user(cast.rita).get("/api/v1/users", limit=100)

    # then
    body = response.json()
    assert body["count"] == 7
    assert {u["email"] for u in body["items"]} >= {"oscar@example.com", "ana@example.com"}
    assert "password" not in response.content.decode()
    oscar = next(u for u in body["items"] if u["email"] == "oscar@example.com")
    assert oscar["role"] == "rep"
    assert [t["name"] for t in oscar["teams"]] == ["South"]


def test_users_can_be_searched_and_filtered_by_role(api_client, cast):
    # given
    client = api_client.as_user(cast.ana)

    # when
    managers = client.get("/api/v1/users", role="manager").json()
    found = client.get("/api/v1/users", q="osc").json()

    # then
    assert {u["name"] for u in managers["items"]} == {"Maya Moreau", "Sam Sato"}
    assert [u["name"] for u in found["items"]] == ["Oscar Olsen"]


def test_one_user_by_id(api_client, cast):
    # when
    response = api_client.as_user(cast.oscar).get(f"/api/v1/users/{cast.rita.pk}")
    missing = api_client.get("/api/v1/users/999999")

    # then
    assert response.json()["email"] == "rita@example.com"
    assert "password" not in response.content.decode()
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Not found."


def test_teams_with_their_managers_and_members(api_client, cast):
    # when
    teams = api_client.as_user(cast.rita).get("/api/v1/teams").json()
    south = api_client.get(f"/api/v1/teams/{cast.oscar.teams.get().pk}").json()

    # then
    assert teams["count"] == 2
    north = next(t for t in teams["items"] if t["name"] == "North")
    assert [m["name"] for m in north["managers"]] == ["Maya Moreau"]
    assert {m["name"] for m in north["members"]} == {"Rita Reyes", "Nico Nowak"}
    assert [m["email"] for m in south["members"]] == ["oscar@example.com"]
