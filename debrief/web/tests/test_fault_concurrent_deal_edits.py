"""Two people editing the same deal: the second save, made from an older copy, is refused
with what the first one changed (page and API), and nothing of either is lost."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from debrief.pipeline.models import Deal

pytestmark = pytest.mark.django_db


def _form_data(deal: Deal, page: str, **changes: Any) -> dict[str, Any]:
    """What the edit form posts: the deal as it was read, the version from the page's hidden
    field, and this editor's changes."""
    match = re.search(r'name="version" value="(\d+)"', page)
    assert match, "the edit form carries the deal's version"
    data: dict[str, Any] = {
        "name": deal.name,
        "customer": deal.customer_id,
        "owner": deal.owner_id,
        "team": deal.team_id,
        "amount": f"{deal.amount:.2f}",
        "currency": deal.currency,
        "stage": deal.stage_id,
        "next_step": deal.next_step,
        "version": match.group(1),
    }
    return {**data, **changes}


def test_the_second_page_save_is_refused_with_what_changed(
    client, api_client, maya, rita, make_deal
):
    # given: Rita opens the edit form; Maya changes the amount meanwhile
    deal = make_deal(rita, name="Harbour renewal", amount=Decimal("1000"))
    client.force_login(rita)
    page = client.get(f"/deals/{deal.pk}/edit/").content.decode()
    response = api_client.as_user(maya).patch(f"/api/v1/deals/{deal.pk}", {"amount": "2500"})
    assert response.status_code == 200

    # when: Rita saves her next step from the form she opened before
    response = client.post(
        f"/deals/{deal.pk}/edit/", _form_data(deal, page, next_step="Call the CFO")
    )

    # then: refused, saying what Maya changed; Maya's amount is kept, Rita's text is on the form
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this deal while you were editing it" in html
    assert re.search(r"Amount: now <strong>2500\.00</strong>", html)
    assert 'value="Call the CFO"' in html
    deal.refresh_from_db()
    assert (deal.amount, deal.next_step) == (Decimal("2500.00"), "")

    # when: she saves again from the refused form, now at the current version
    response = client.post(
        f"/deals/{deal.pk}/edit/",
        _form_data(deal, html, next_step="Call the CFO", amount="2500.00"),
    )

    # then: both changes are there
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.amount, deal.next_step) == (Decimal("2500.00"), "Call the CFO")
    assert deal.version == 3


def test_the_second_api_change_gets_409_naming_the_changed_fields(
    api_client, maya, rita, make_deal, stages
):
    # given: both read the deal at the same version
    deal = make_deal(rita, amount=Decimal("1000"))
    read = api_client.as_user(rita).get(f"/api/v1/deals/{deal.pk}").json()["version"]
    first = api_client.as_user(maya).patch(
        f"/api/v1/deals/{deal.pk}",
        {"amount": "2500", "next_step": "Send the quote", "version": read},
    )
    assert first.status_code == 200
    assert first.json()["version"] == read + 1

    # when: the second change is sent with the version read before the first
    second = api_client.as_user(rita).patch(
        f"/api/v1/deals/{deal.pk}", {"name": "Renamed", "version": read}
    )

    # then: 409, with the fields changed meanwhile and their new values; nothing saved
    assert second.status_code == 409
    body = second.json()
    assert "Someone else changed this deal" in body["detail"]
    errors = {e["field"]: e["message"] for e in body["errors"]}
    assert errors["amount"] == "Changed meanwhile to: 2500.00"
    assert errors["next_step"] == "Changed meanwhile to: Send the quote"
    assert "name" not in errors
    deal.refresh_from_db()
    assert deal.name != "Renamed"

    # and a stage move from the old copy is refused the same way
    moved = api_client.as_user(rita).post(
        f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Proposal"].pk, "version": read}
    )
    assert moved.status_code == 409


def test_a_change_without_a_version_still_applies_and_counts(api_client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)

    # when: a client that does not send versions changes the deal, then moves its stage
    api_client.as_user(rita).patch(f"/api/v1/deals/{deal.pk}", {"next_step": "Demo"})
    response = api_client.as_user(rita).post(
        f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Proposal"].pk}
    )

    # then: last write wins as before, and each change is one version
    assert response.status_code == 200
    assert response.json()["version"] == 3
    assert response.json()["next_step"] == "Demo"
