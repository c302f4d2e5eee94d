"""The pipeline page narrows the deals by each filter, and names a bad filter value beside its
field while still showing the list without that filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debrief.pipeline.tests.pages import deal_names, field_error, text


def test_owner_filter(client, cast, make_deal):
    # given
    make_deal(cast.rita, name="Rita's deal")
    make_deal(cast.nico, name="Nico's deal")
    client.force_login(cast.adam)

    # when
    response = client.get("/deals/", {"owner": cast.rita.pk})

    # then
    assert deal_names(response) == ["Rita's deal"]


def test_team_filter(client, cast, make_deal):
    # given
    make_deal(cast.rita, name="North deal")
    make_deal(cast.oscar, name="South deal")
    client.force_login(cast.adam)

    # when
    response = client.get("/deals/", {"team": cast.oscar.teams.get().pk})

    # then
    assert deal_names(response) == ["South deal"]


def test_stage_filter(client, rita, make_deal, stages):
    # given
    make_deal(rita, name="Early", stage=stages["Prospecting"])
    make_deal(rita, name="Late", stage=stages["Proposal"])
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"stage": stages["Proposal"].pk})

    # then
    assert deal_names(response) == ["Late"]


def test_status_filter(client, rita, make_deal, stages):
    # given
    make_deal(rita, name="Still open")
    make_deal(rita, name="Won it", stage=stages["Closed Won"])
    make_deal(rita, name="Lost it", stage=stages["Closed Lost"])
    client.force_login(rita)

    # when
    won = client.get("/deals/", {"status": "won"})
    lost = client.get("/deals/", {"status": "lost"})

    # then
    assert deal_names(won) == ["Won it"]
    assert deal_names(lost) == ["Lost it"]


def test_customer_filter(client, rita, make_deal, make_customer, north):
    # given
    acme = make_customer(name="Acme Ltd", team=north)
    make_deal(rita, name="Acme deal", customer=acme)
    make_deal(rita, name="Other deal")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"customer": acme.pk})

    # then
    assert deal_names(response) == ["Acme deal"]


def test_amount_range_filter(client, rita, make_deal):
    # given
    make_deal(rita, name="Small", amount=Decimal("10000"))
    make_deal(rita, name="Medium", amount=Decimal("50000"))
    make_deal(rita, name="Large", amount=Decimal("90000"))
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"amount_min": "20000", "amount_max": "60000"})

    # then
    assert deal_names(response) == ["Medium"]


def test_close_period_filter(client, rita, make_deal):
    # given
    make_deal(rita, name="March", expected_close_date=dt.date(2030, 3, 15))
    make_deal(rita, name="June", expected_close_date=dt.date(2030, 6, 15))
    make_deal(rita, name="No date")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"close_from": "2030-03-01", "close_to": "2030-03-31"})

    # then
    assert deal_names(response) == ["March"]


def test_search_matches_deal_and_customer_names(client, rita, make_deal, make_customer, north):
    # given
    make_deal(rita, name="Warehouse robots")
    make_deal(rita, name="Renewal", customer=make_customer(name="Robotics GmbH", team=north))
    make_deal(rita, name="Unrelated")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"q": "robot", "sort": "name"})

    # then
    assert deal_names(response) == ["Renewal", "Warehouse robots"]


def test_filters_combine_and_the_summary_counts_and_totals(client, rita, make_deal, stages):
    # given
    make_deal(rita, name="A", amount=Decimal("1000"), stage=stages["Proposal"])
    make_deal(rita, name="B", amount=Decimal("2500"), stage=stages["Proposal"])
    make_deal(rita, name="C", amount=Decimal("2500"), stage=stages["Proposal"], currency="EUR")
    make_deal(rita, name="D", amount=Decimal("9000"))
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"stage": stages["Proposal"].pk, "amount_max": "5000"})

    # then
    assert sorted(deal_names(response)) == ["A", "B", "C"]
    assert "3 deals · EUR 2,500 · USD 3,500" in text(response)


def test_a_bad_filter_value_is_named_beside_its_field_and_ignored(client, rita, make_deal, stages):
    # given
    make_deal(rita, name="Small", amount=Decimal("100"), stage=stages["Proposal"])
    make_deal(rita, name="Big", amount=Decimal("90000"), stage=stages["Proposal"])
    make_deal(rita, name="Elsewhere", stage=stages["Prospecting"])
    client.force_login(rita)

    # when
    response = client.get(
        "/deals/", {"amount_min": "lots", "stage": stages["Proposal"].pk, "close_to": "soon"}
    )

    # then the page answers, naming each bad value beside its own field
    assert response.status_code == 200
    assert field_error(response, "amount_min") == "'lots' is not a number."
    assert field_error(response, "close_to") == "'soon' is not a date (YYYY-MM-DD)."
    assert field_error(response, "stage") == ""
    assert "Amount from:" in text(response)
    # and lists the deals as if the bad filters were not there, the good one still applied
    assert sorted(deal_names(response)) == ["Big", "Small"]


def test_an_unknown_status_or_sort_is_explained(client, rita, make_deal):
    # given
    make_deal(rita, name="Only")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"status": "maybe", "sort": "luck"})

    # then
    assert field_error(response, "status") == "Status is one of open, won, lost."
    assert field_error(response, "sort").startswith("Sort by one of newest")
    assert deal_names(response) == ["Only"]


def test_with_many_customers_the_customer_select_offers_a_search(
    client, rita, make_deal, make_customer, north, monkeypatch
):
    # given more customers than a select can usefully hold
    monkeypatch.setattr("debrief.pipeline.forms.CUSTOMER_SELECT_LIMIT", 2)
    acme = make_customer(name="Acme Ltd", team=north)
    make_deal(rita, name="Acme deal", customer=acme)
    make_deal(rita, name="Other deal")
    client.force_login(rita)

    # when
    unfiltered = client.get("/deals/").content.decode()
    filtered = client.get("/deals/", {"customer": acme.pk})
    options = client.get("/customers/options/", {"customer_q": "acme", "empty": "any"})

    # then the select offers only the chosen customer, and a search finds the others
    assert "Acme Ltd</option>" not in unfiltered
    assert 'hx-get="/customers/options/?empty=any"' in unfiltered
    assert deal_names(filtered) == ["Acme deal"]
    assert f'<option value="{acme.pk}" selected>Acme Ltd</option>' in filtered.content.decode()
    assert options.content.decode().split("\n")[:2] == [
        '<option value="">Any customer</option>',
        f'<option value="{acme.pk}">Acme Ltd</option>',
    ]


def test_the_customer_search_only_finds_visible_customers(client, oscar, north, make_customer):
    # given
    make_customer(name="Acme Ltd", team=north)
    client.force_login(oscar)

    # when
    options = client.get("/customers/options/", {"customer_q": "acme"})

    # then
    assert "Acme" not in options.content.decode()
    assert "No customer matches" in options.content.decode()
