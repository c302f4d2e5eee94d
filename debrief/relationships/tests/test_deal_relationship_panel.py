"""The deal page says how things stand with the deal's customer, and links to the
relationship page."""

from __future__ import annotations

from debrief.relationships.tests.helpers import damage, section


def test_the_deal_page_shows_the_customers_relationship(client, rita, make_deal):
    deal = make_deal(rita)
    damage(deal.customer, rita, days_ago=12)
    client.force_login(rita)

    response = client.get(f"/deals/{deal.pk}/")

    panel = section(response, "relationship")
    assert "Strained" in panel
    assert f'href="/customers/{deal.customer_id}/relationship/"' in response.content.decode()


def test_a_customer_nothing_happened_to_shows_intact(client, rita, make_deal):
    deal = make_deal(rita)
    client.force_login(rita)

    assert "Intact" in section(client.get(f"/deals/{deal.pk}/"), "relationship")
