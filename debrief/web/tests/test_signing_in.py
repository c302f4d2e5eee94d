"""Signing in with email and password, signing out, and being sent to sign in first."""

from __future__ import annotations

from conftest import PASSWORD


def test_sign_in_page_has_the_labels_and_button_people_look_for(client, db):
    # when
    response = client.get("/login/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Sign in</button>" in html


def test_a_user_signs_in_with_email_and_password(client, rita):
    # when
    response = client.post("/login/", {"username": "Rita@Example.com ", "password": PASSWORD})

    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_says_so_and_signs_nobody_in(client, rita):
    # when
    response = client.post("/login/", {"username": rita.email, "password": "not-it"})

    # then
    assert response.status_code == 200
    assert "That email and password don&#x27;t match an account" in response.content.decode()
    assert client.get("/").status_code == 302


def test_an_inactive_user_cannot_sign_in(client, rita):
    # given
    from debrief.org import actions

    actions.update_user(rita, None, is_active=False)

    # when
    response = client.post("/login/", {"username": rita.email, "password": PASSWORD})

    # then
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_pages_send_a_stranger_to_sign_in_and_back(client, db):
    # when
    response = client.get("/me/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/me/"


def test_sign_in_returns_to_the_page_asked_for(client, rita):
    # when
    response = client.post(
        "/login/?next=/me/", {"username": rita.email, "password": PASSWORD, "next": "/me/"}
    )

    # then
    assert response["Location"] == "/me/"


def test_sign_out_ends_the_session(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/logout/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_sign_out_is_not_a_link_anyone_can_embed(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.get("/logout/")

    # then
    assert response.status_code == 405
    assert client.get("/").status_code == 200
