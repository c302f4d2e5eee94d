"""The home page adds up amounts only in the organisation's currency: 100 USD and 100 JPY
are not 200 of anything. Deals in other currencies are still counted, and the page says how
many were left out of the sums."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone

from debrief.org.models import Organisation


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, f"no figure {name}"
    return match.group(1)


def test_a_yen_deal_is_counted_but_not_added_to_dollars(client, cast, make_deal):
    # given an organisation in USD, and Rita with 100 USD and 100 JPY closing this month
    assert Organisation.current().currency == "USD"
    today = timezone.localdate()
    make_deal(cast.rita, amount=Decimal("100"), currency="USD", expected_close_date=today)
    make_deal(cast.rita, amount=Decimal("100"), currency="JPY", expected_close_date=today)

    for who in ("rita", "maya", "adam"):
        client.force_login(getattr(cast, who))

        # when
        html = client.get("/").content.decode()

        # then
        assert figure(html, "open-count") == "2"
        assert figure(html, "open-value") == "100"
        assert figure(html, "open-other-currency") == "1"
        assert "avg USD 100" in html
        assert "USD 100 expected · 1 in other currencies not added up" in html
        if who != "rita":
            # the breakdown by rep (and by team) adds up the same dollars, and says so
            assert "USD 100</td>" in html
            assert "Open values add up the USD deals only." in html


def test_nothing_is_said_when_every_deal_is_in_the_organisations_currency(client, cast, make_deal):
    # given
    make_deal(cast.rita, amount=Decimal("100"), currency="USD")
    client.force_login(cast.rita)

    # when
    html = client.get("/").content.decode()

    # then
    assert figure(html, "open-value") == "100"
    assert "other currencies" not in html
