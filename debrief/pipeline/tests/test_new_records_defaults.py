"""A new customer or deal gets the same defaults from the page and from the API: a customer
with no owner belongs to the rep or manager who made it, and with no team to the owner's
team; a deal with no team goes to the owner's team, and with no stage to the first open
stage."""

from __future__ import annotations

import pytest

from debrief.pipeline.models import Customer, Deal


def via_page(client, user, name: str, **fields):
    client.force_login(user)
    response = client.post("/customers/new/", {"name": name, "owner": "", "team": "", **fields})
    assert response.status_code == 302, response.content.decode()
    return Customer.objects.get(name=name)


def via_api(api_client, user, name: str, **fields):
    response = api_client.as_user(user).post("/api/v1/customers", {"name": name, **fields})
    assert response.status_code == 201, response.content
    return Customer.objects.get(name=name)


@pytest.mark.parametrize("make", [via_page, via_api], ids=["page", "api"])
def test_a_reps_new_customer_is_theirs_and_their_teams(client, api_client, cast, make):
    # when
    customer = make(client if make is via_page else api_client, cast.rita, "Harbour")

    # then
    assert (customer.owner, customer.team.name) == (cast.rita, "North")


@pytest.mark.parametrize("make", [via_page, via_api], ids=["page", "api"])
def test_a_customer_given_to_someone_goes_to_their_team(client, api_client, cast, make):
    # when Sam (manager of South) files a customer for Oscar, naming no team
    customer = make(
        client if make is via_page else api_client, cast.sam, "Delta", owner=cast.oscar.pk
    )

    # then
    assert (customer.owner, customer.team.name) == (cast.oscar, "South")


@pytest.mark.parametrize("make", [via_page, via_api], ids=["page", "api"])
def test_an_admins_customer_has_no_owner_unless_given(client, api_client, cast, make):
    # when
    customer = make(client if make is via_page else api_client, cast.adam, "Unowned")

    # then
    assert (customer.owner, customer.team) == (None, None)


def test_a_deal_without_team_or_stage_gets_the_defaults_from_the_api(
    api_client, cast, north, make_customer, stages
):
    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/deals", {"name": "Defaults", "customer": make_customer(team=north).pk}
    )

    # then
    assert response.status_code == 201, response.content
    deal = Deal.objects.get(name="Defaults")
    assert (deal.owner, deal.team, deal.stage) == (cast.rita, north, stages["Prospecting"])


def test_a_deal_without_a_team_goes_to_the_owners_from_the_page(
    client, rita, north, make_customer, stages
):
    # given
    client.force_login(rita)

    # when
    response = client.post(
        "/deals/new/",
        {
            "name": "Page defaults",
            "customer": make_customer(team=north).pk,
            "owner": rita.pk,
            "team": "",
            "amount": "10",
            "currency": "USD",
            "stage": stages["Qualification"].pk,
        },
    )

    # then
    assert response.status_code == 302
    assert Deal.objects.get(name="Page defaults").team == north


def test_an_owner_in_no_team_is_asked_for_one(api_client, cast, north, make_customer):
    # when Adam (in no team) makes himself the owner and names no team
    response = api_client.as_user(cast.adam).post(
        "/api/v1/deals", {"name": "Teamless", "customer": make_customer(team=north).pk}
    )

    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["team"]


def test_a_deal_without_a_stage_starts_in_the_first_open_stage_from_the_page(
    client, rita, north, make_customer, stages
):
    # given
    client.force_login(rita)
    form = client.get("/deals/new/").content.decode()

    # when
    response = client.post(
        "/deals/new/",
        {
            "name": "Stageless",
            "customer": make_customer(team=north).pk,
            "owner": rita.pk,
            "amount": "10",
            "currency": "USD",
            "stage": "",
        },
    )

    # then
    assert '<option value="" selected>The first open stage</option>' in form
    assert response.status_code == 302
    assert Deal.objects.get(name="Stageless").stage == stages["Prospecting"]
