"""The settings pages belong to admins: for everyone else they do not exist (404)."""

from __future__ import annotations

import pytest

from debrief.pipeline.models import Stage

PAGES = [
    "/settings/",
    "/settings/stages/",
    "/settings/stages/{stage}/",
    "/settings/stages/{stage}/move/",
    "/settings/stages/{stage}/active/",
    "/settings/users/",
    "/settings/users/new/",
    "/settings/users/{user}/",
    "/settings/teams/",
    "/settings/teams/new/",
    "/settings/teams/{team}/",
]


def urls(cast) -> list[str]:
    stage = Stage.objects.first()
    assert stage is not None
    ids = {"stage": stage.pk, "user": cast.rita.pk, "team": cast.rita.teams.get().pk}
    return [page.format(**ids) for page in PAGES]


@pytest.mark.parametrize("who", ["rita", "nico", "maya", "sam", "oscar", "ana"])
def test_everyone_but_an_admin_gets_404(client, cast, who):
    # given
    client.force_login(getattr(cast, who))
    stage_order = list(Stage.objects.values_list("pk", "order", "is_active"))

    # when
    answers = {
        url: (client.get(url).status_code, client.post(url).status_code) for url in urls(cast)
    }

    # then
    assert answers == dict.fromkeys(answers, (404, 404))
    assert list(Stage.objects.values_list("pk", "order", "is_active")) == stage_order


def test_the_settings_link_shows_only_for_admins(client, cast):
    # given
    client.force_login(cast.maya)
    assert 'href="/settings/"' not in client.get("/").content.decode()

    # when
    client.force_login(cast.adam)

    # then
    assert 'href="/settings/"' in client.get("/").content.decode()


def test_an_admin_reaches_every_settings_page(client, cast):
    # given
    client.force_login(cast.adam)

    # when
    answers = {
        url: client.get(url).status_code
        for url in urls(cast)
        if "/move/" not in url and "/active/" not in url
    }

    # then
    assert answers == dict.fromkeys(answers, 200)


def test_a_stranger_is_sent_to_sign_in(client, cast):
    # when
    response = client.get("/settings/")

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
