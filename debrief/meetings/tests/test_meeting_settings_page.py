"""An admin sets, on the organisation settings page, the amount from which a meeting needs
the whole plan and who hears of marketing and product causes of bad meetings."""

from __future__ import annotations

from decimal import Decimal

from debrief.meetings.tests.page_helpers import field_error
from debrief.org.models import Organisation

SETTINGS = {
    "name": "Acme Robotics",
    "currency": "USD",
    "fiscal_year_start_month": "1",
    "debrief_cool_off_days": "7",
    "major_deal_threshold": "100000",
    "post_mortem_contact_days": "1",
    "losing_streak_length": "3",
}


def test_an_admin_sets_the_meeting_settings(client, adam):
    # given
    client.force_login(adam)
    page = client.get("/settings/").content.decode()
    assert 'name="full_plan_threshold" value="50000.00"' in page

    # when
    client.post(
        "/settings/",
        SETTINGS
        | {
            "full_plan_threshold": "20000",
            "marketing_contact_email": "mkt@example.com",
            "product_contact_email": "prod@example.com",
        },
    )

    # then
    org = Organisation.current()
    assert org.full_plan_threshold == Decimal("20000")
    assert (org.marketing_contact_email, org.product_contact_email) == (
        "mkt@example.com",
        "prod@example.com",
    )


def test_a_bad_contact_address_is_named(client, adam):
    client.force_login(adam)

    response = client.post("/settings/", SETTINGS | {"marketing_contact_email": "not an email"})

    assert response.status_code == 400
    assert "valid email" in field_error(response, "marketing_contact_email")
    assert Organisation.current().marketing_contact_email == ""


def test_leaving_the_threshold_out_keeps_it(client, adam):
    client.force_login(adam)

    client.post("/settings/", SETTINGS)

    assert Organisation.current().full_plan_threshold == Decimal("50000")
