"""A signed-in user changes their own password and stays signed in."""

from __future__ import annotations

from conftest import PASSWORD

NEW = "a-much-longer-new-passphrase-42"


def test_a_user_changes_their_password(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post(
        "/me/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )

    # then
    assert response.redirect_chain == [("/me/", 302)]
    assert "Your password has been changed." in response.content.decode()
    assert client.get("/").status_code == 200  # still signed in
    client.logout()
    assert client.login(username=rita.email, password=NEW)
    assert not client.login(username=rita.email, password=PASSWORD)


def test_a_wrong_current_password_is_shown_beside_it(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post(
        "/me/password/", {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in html
    assert "Your old password was entered incorrectly" in html
    client.logout()
    assert client.login(username=rita.email, password=PASSWORD)


def test_a_weak_new_password_is_refused(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post(
        "/me/password/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )

    # then
    assert 'id="id_new_password2_error"' in response.content.decode()
    client.logout()
    assert client.login(username=rita.email, password=PASSWORD)
