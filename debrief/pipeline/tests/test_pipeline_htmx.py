"""Filtering with HTMX swaps only the results: the same URL answers HTMX with the partial and
a browser with the whole page."""

from __future__ import annotations

from debrief.pipeline.tests.pages import deal_names

HTMX = {"HX-Request": "true"}


def test_an_htmx_request_gets_only_the_results(client, rita, make_deal, stages):
    # given
    make_deal(rita, name="Early", stage=stages["Prospecting"])
    make_deal(rita, name="Late", stage=stages["Proposal"])
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"stage": stages["Proposal"].pk}, headers=HTMX)

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'class="filters"' not in body
    assert 'id="deal-table"' in body
    assert deal_names(response) == ["Late"]
    assert "HX-Request" in response["Vary"]


def test_the_address_shown_after_filtering_leaves_out_empty_filters(client, rita, stages):
    # given
    client.force_login(rita)
    stage = stages["Proposal"].pk

    # when
    response = client.get(f"/deals/?q=&owner=&stage={stage}&sort=newest", headers=HTMX)

    # then
    assert response["HX-Push-Url"] == f"/deals/?stage={stage}&sort=newest"


def test_a_plain_request_gets_the_whole_page(client, rita, make_deal):
    # given
    make_deal(rita, name="Only")
    client.force_login(rita)

    # when
    response = client.get("/deals/")

    # then
    body = response.content.decode()
    assert "<html" in body
    assert 'hx-get="/deals/"' in body
    assert 'hx-push-url="true"' in body
    assert 'hx-target="#deal-results"' in body


def test_a_history_restore_gets_the_whole_page(client, rita, make_deal):
    # given
    make_deal(rita, name="Only")
    client.force_login(rita)

    # when
    response = client.get("/deals/", headers={**HTMX, "HX-History-Restore-Request": "true"})

    # then
    assert "<html" in response.content.decode()


def test_a_bad_filter_is_explained_in_the_htmx_results(client, rita, make_deal):
    # given
    make_deal(rita, name="Only")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"amount_max": "a lot"}, headers=HTMX)

    # then
    body = response.content.decode()
    assert "<strong>Amount to:</strong> &#x27;a lot&#x27; is not a number." in body
    assert deal_names(response) == ["Only"]
