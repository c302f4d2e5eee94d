"""At a phone's width (375 px) no main page scrolls sideways, for a rep or an admin, even with
long names, addresses and amounts in it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import login_in_browser
from debrief.pipeline import actions

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def world(cast: Any, make_customer: Any, make_deal: Any, stages: dict[str, Any]) -> dict[str, Any]:
    """A deal with everything a deal page can show, some of it long and unbreakable."""
    customer = make_customer(
        name="Internationale Handelsgesellschaft für Landmaschinen und Zubehör GmbH",
        team=cast.rita.teams.get(),
        owner=cast.rita,
        website="https://www.internationale-handelsgesellschaft-fuer-landmaschinen.example/kontakt",
    )
    contact = actions.create_contact(
        customer,
        None,
        name="Maximiliane Oberbergmann-Schwarzenfeld",
        title="Head of Procurement and Strategic Supplier Relationships",
        email="maximiliane.oberbergmann-schwarzenfeld@landmaschinen-handelsgesellschaft.example",
    )
    competitor = actions.create_competitor(None, "Supercalifragilisticexpialidocious Analytics")
    deal = make_deal(
        cast.rita,
        name="Enterprise-wide-predictive-maintenance-platform-rollout-phase-two",
        customer=customer,
        amount=Decimal("123456789012.00"),
        source="Partner referral through the regional reseller programme",
        next_step="Send the revised commercial proposal with the three-year price schedule",
        competitors=[competitor],
        products=[actions.get_or_create_product("Predictive maintenance analytics suite")],
    )
    actions.add_deal_contact(deal, contact, "decision_maker", by=None)
    actions.move_deal_stage(deal, cast.rita, stages["Proposal"])
    return {"deal": deal, "customer": customer}


def overflow(page: Any, url: str) -> int:
    page.goto(url)
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("who", ["rita", "adam"])
def test_no_page_scrolls_sideways_on_a_phone(browser_page, live_server, cast, world, who):
    # given
    page = browser_page
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, getattr(cast, who))
    paths = [
        "/",
        "/deals/",
        f"/deals/{world['deal'].pk}/",
        "/customers/",
        f"/customers/{world['customer'].pk}/",
        "/competitors/",
        "/me/",
    ]
    if who == "adam":
        paths += ["/settings/", "/settings/stages/", "/settings/users/", "/settings/teams/"]

    # when
    widths = {path: overflow(page, f"{live_server.url}{path}") for path in paths}

    # then
    assert {path: width for path, width in widths.items() if width > PHONE["width"]} == {}
