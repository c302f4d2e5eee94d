"""A user makes API tokens on their profile: the key is shown once, then only its hint;
a revoked token stops working at once."""

from __future__ import annotations

import re

from debrief.org import actions


def new_key(html: str) -> str:
    match = re.search(r'<code class="secret" id="new-token">([^<]+)</code>', html)
    assert match, "the new key is not on the page"
    return match.group(1)


def test_a_new_key_is_shown_once_then_only_its_hint(client, rita):
    # given
    client.force_login(rita)

    # when
    created = client.post("/me/tokens/", {"name": "Reporting script"})
    later = client.get("/me/")

    # then
    key = new_key(created.content.decode())
    assert "it will not be shown again" in created.content.decode()
    assert key.startswith("dbr_")
    later_html = later.content.decode()
    assert key not in later_html
    assert 'class="secret"' not in later_html
    assert "Reporting script" in later_html
    assert f"{key[:8]}…" in later_html


def test_the_new_key_works_with_the_api(client, rita):
    # given
    client.force_login(rita)
    key = new_key(client.post("/me/tokens/", {"name": "CLI"}).content.decode())
    client.logout()

    # when
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})

    # then
    assert response.status_code == 200
    assert response.json()["email"] == rita.email


def test_a_token_needs_a_name(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/me/tokens/", {"name": "   "})

    # then
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not rita.api_tokens.exists()


def test_htmx_gets_just_the_tokens_section(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/me/tokens/", {"name": "Sheet"}, headers={"HX-Request": "true"})

    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="api-tokens"')
    assert new_key(html)


def test_revoking_a_token_stops_it_working(client, rita):
    # given
    token, raw = actions.create_api_token(rita, rita, "Old script")
    client.force_login(rita)

    # when
    response = client.post(f"/me/tokens/{token.pk}/revoke/", follow=True)

    # then
    html = response.content.decode()
    assert "is revoked" in html
    assert "Revoked" in html
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_nobody_revokes_someone_elses_token(client, rita, oscar):
    # given
    token, raw = actions.create_api_token(oscar, oscar, "Oscar's")
    client.force_login(rita)

    # when
    response = client.post(f"/me/tokens/{token.pk}/revoke/")

    # then
    assert response.status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
