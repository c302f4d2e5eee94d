"""Another team's deal does not exist for a rep (404), and the analyst may read a deal but
not change it (403)."""

from __future__ import annotations

import pytest

from debrief.pipeline.models import Deal, DealEvent


@pytest.fixture
def ritas_deal(rita, make_deal):
    return make_deal(rita, name="Rita's secret deal")


def test_oscar_cannot_see_ritas_deal(client, oscar, ritas_deal, stages):
    # given
    client.force_login(oscar)
    url = f"/deals/{ritas_deal.pk}/"

    # when
    page = client.get(url)
    edit_form = client.get(f"{url}edit/")
    edit = client.post(f"{url}edit/", {"name": "Mine now"})
    move = client.post(f"{url}stage/", {"stage": stages["Closed Won"].pk})

    # then
    assert [page.status_code, edit_form.status_code, edit.status_code, move.status_code] == [
        404,
        404,
        404,
        404,
    ]
    assert "Rita's secret deal" not in page.content.decode()
    ritas_deal.refresh_from_db()
    assert ritas_deal.name == "Rita's secret deal"
    assert ritas_deal.stage == stages["Prospecting"]


def test_the_analyst_reads_but_cannot_change(client, ana, ritas_deal, stages):
    # given
    client.force_login(ana)
    url = f"/deals/{ritas_deal.pk}/"

    # when
    page = client.get(url)
    edit_form = client.get(f"{url}edit/")
    move = client.post(f"{url}stage/", {"stage": stages["Closed Won"].pk})
    new_form = client.get("/deals/new/")

    # then
    assert page.status_code == 200
    assert "Move stage" not in page.content.decode()
    assert f'href="{url}edit/"' not in page.content.decode()
    assert [edit_form.status_code, move.status_code, new_form.status_code] == [403, 403, 403]
    assert DealEvent.objects.filter(deal=ritas_deal).count() == 1


def test_the_analyst_cannot_create_a_deal_by_posting(client, ana, north, make_customer, stages):
    # given
    client.force_login(ana)
    count = Deal.objects.count()

    # when
    response = client.post(
        "/deals/new/",
        {
            "name": "Sneaky",
            "customer": make_customer(team=north).pk,
            "owner": ana.pk,
            "amount": "1",
            "currency": "USD",
            "stage": stages["Prospecting"].pk,
        },
    )

    # then
    assert response.status_code == 403
    assert Deal.objects.count() == count


def test_a_teammate_may_read_a_deal_but_not_change_it(client, nico, ritas_deal):
    # given: reps see only their own deals, even in their team
    client.force_login(nico)

    # when
    response = client.get(f"/deals/{ritas_deal.pk}/")

    # then
    assert response.status_code == 404


def test_the_manager_of_the_team_may_change_the_deal(client, maya, ritas_deal):
    # given
    client.force_login(maya)

    # when
    response = client.get(f"/deals/{ritas_deal.pk}/")

    # then
    assert response.status_code == 200
    assert "Move stage" in response.content.decode()
