"""An admin edits the organisation's settings; bad input names its field and saves nothing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from debrief.org.models import Organisation

GOOD = {
    "name": "Acme Robotics",
    "currency": "eur",
    "fiscal_year_start_month": "4",
    "debrief_cool_off_days": "10",
    "major_deal_threshold": "250000",
    "post_mortem_contact_days": "2",
    "losing_streak_length": "4",
}


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_an_admin_edits_the_organisation(client, adam):
    # given
    client.force_login(adam)

    # when
    response = client.post("/settings/", GOOD, follow=True)

    # then
    assert "The organisation&#x27;s settings are saved." in response.content.decode()
    org = Organisation.current()
    assert (org.name, org.currency, org.fiscal_year_start_month) == ("Acme Robotics", "EUR", 4)
    assert org.debrief_cool_off_days == 10
    assert org.major_deal_threshold == Decimal("250000")
    assert (org.post_mortem_contact_days, org.losing_streak_length) == (2, 4)


def test_the_form_shows_the_current_settings(client, adam):
    # given
    client.force_login(adam)

    # when
    html = client.get("/settings/").content.decode()

    # then
    assert 'name="debrief_cool_off_days" value="7"' in html
    assert '<option value="1" selected>January</option>' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("debrief_cool_off_days", "0"),
        ("debrief_cool_off_days", "abc"),
        ("debrief_cool_off_days", "61"),
        ("major_deal_threshold", "-1"),
        ("major_deal_threshold", "lots"),
        ("currency", "EURO"),
        ("currency", "12$"),
        ("fiscal_year_start_month", "13"),
        ("post_mortem_contact_days", "11"),
        ("losing_streak_length", "1"),
        ("name", ""),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, adam, field, value):
    # given
    client.force_login(adam)
    before = Organisation.current()

    # when
    response = client.post("/settings/", {**GOOD, field: value})

    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, field), f"no error beside {field}"
    others = [f for f in GOOD if f != field]
    assert not any(field_error(html, f) for f in others)
    after = Organisation.current()
    assert (after.name, after.currency, after.debrief_cool_off_days) == (
        before.name,
        before.currency,
        before.debrief_cool_off_days,
    )
    assert after.major_deal_threshold == before.major_deal_threshold
