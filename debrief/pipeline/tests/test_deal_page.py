"""The deal page shows every field, the contacts and competitors, imported attributes, and
the timeline in the reader's own time zone, capped at the latest 100 events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from debrief.org import actions as org_actions
from debrief.pipeline import actions
from debrief.pipeline.tests.pages import text


def test_the_deal_page_shows_the_deal(client, rita, make_deal, make_customer, north):
    # given
    customer = make_customer(name="Fjord Freight AS", team=north)
    contact = actions.create_contact(customer, None, name="Ingrid Berg", title="CFO")
    deal = make_deal(
        rita,
        name="Fleet telematics",
        customer=customer,
        amount=Decimal("125000.50"),
        currency="EUR",
        source="Trade show",
        next_step="Send pricing",
        next_step_date=dt.date(2030, 1, 15),
        expected_close_date=dt.date(2030, 2, 28),
        products=[actions.get_or_create_product("Tracker")],
        competitors=[actions.create_competitor(None, "Samsara")],
        attributes={"Lead Source Detail": "Booth 42"},
    )
    actions.add_deal_contact(deal, contact, "champion", None)
    client.force_login(rita)

    # when
    response = client.get(f"/deals/{deal.pk}/")

    # then
    page = text(response)
    for shown in [
        "Fleet telematics",
        "125,000.50 EUR",
        "Fjord Freight AS",
        "North",
        "Tracker",
        "Samsara",
        "Trade show",
        "Send pricing",
        "15 Jan 2030",
        "28 Feb 2030",
        "Ingrid Berg",
        "Champion",
        "Lead Source Detail",
        "Booth 42",
        "Deal created in Prospecting",
    ]:
        assert shown in page, shown


def test_the_timeline_is_shown_in_the_readers_time_zone(client, rita, make_deal, stages):
    # given
    org_actions.update_user(rita, None, time_zone="Asia/Tokyo")
    deal = make_deal(rita)
    at = dt.datetime(2030, 5, 1, 22, 30, tzinfo=dt.UTC)
    actions.move_deal_stage(deal, rita, stages["Proposal"], at=at)
    client.force_login(rita)

    # when
    page = text(client.get(f"/deals/{deal.pk}/"))

    # then: 22:30 UTC is 07:30 the next morning in Tokyo
    assert "2 May 2030, 07:30" in page


def test_a_long_history_shows_the_latest_hundred_events(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    for n in range(105):
        stage = stages["Qualification"] if n % 2 == 0 else stages["Discovery"]
        actions.move_deal_stage(deal, rita, stage, at=start + dt.timedelta(hours=n))
    client.force_login(rita)

    # when
    page = text(client.get(f"/deals/{deal.pk}/"))

    # then
    assert page.count('<li class="ev-') == 100
    assert "Showing the latest 100 events." in page
    assert "Deal created" not in page
