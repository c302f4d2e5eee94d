"""The API answers to a user's bearer token or to their signed-in browser session, and to
nothing else; every refusal is a 401 in the one error format."""

from __future__ import annotations

from typing import Any

from django.test import Client

from debrief.org import actions


def is_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"]
    assert all(set(e) == {"field", "message"} for e in body["errors"])
    return body


def test_a_token_authenticates_as_its_user(client, rita):
    # given
    _, raw = actions.create_api_token(rita, rita, "script")

    # when
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    # then
    assert response.status_code == 200
    assert response.json()["email"] == "rita@example.com"


def test_no_token_is_a_401(client, rita):
    # when
    response = client.get("/api/v1/deals")

    # then
    body = is_error(response, 401)
    assert "Authorization: Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_a_401(client, rita):
    # when
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer dbr_not-a-key"})

    # then
    body = is_error(response, 401)
    assert "not valid" in body["detail"]


def test_a_revoked_token_is_a_401(client, rita):
    # given
    token, raw = actions.create_api_token(rita, rita, "old script")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    # when
    actions.revoke_api_token(token, rita)
    response = client.get("/api/v1/me", headers=headers)

    # then
    is_error(response, 401)


def test_an_inactive_users_token_is_a_401(client, rita):
    # given
    _, raw = actions.create_api_token(rita, rita, "script")
    actions.update_user(rita, None, is_active=False)

    # when
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    # then
    is_error(response, 401)


def test_a_wrong_token_is_refused_even_with_a_session(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer dbr_wrong"})

    # then
    is_error(response, 401)


def test_a_signed_in_browser_reads_with_its_session(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.get("/api/v1/me")

    # then
    assert response.status_code == 200
    assert response.json()["email"] == "rita@example.com"


def test_a_session_write_needs_the_csrf_token(rita):
    # given
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(rita)
    browser.get("/api/v1/docs")  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    competitor = {"name": "Rival Inc"}

    # when
    refused = browser.post("/api/v1/competitors", competitor, content_type="application/json")
    accepted = browser.post(
        "/api/v1/competitors",
        competitor,
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    # then
    body = is_error(refused, 403)
    assert "CSRF" in body["detail"]
    assert accepted.status_code == 201, accepted.content


def test_a_script_without_a_cookie_gets_401_not_a_csrf_error(rita):
    # given
    script = Client(enforce_csrf_checks=True)

    # when
    response = script.post("/api/v1/competitors", {"name": "X"}, content_type="application/json")

    # then
    is_error(response, 401)
