"""Admins keep the reason list and the outcome types: add, rename, flag, retire (kept on
past losses, hidden for new ones), restore, and merge one reason into another. Everyone else
finds no such pages."""

from __future__ import annotations

import pytest

from debrief.losses.models import LossReason, OutcomeType, ReasonEvent, ReasonEventKind
from debrief.losses.tests.page_helpers import field_error, lose, reason, text

PAGES = [
    "/settings/reasons/",
    "/settings/outcome-types/",
]


@pytest.mark.parametrize("who", ["maya", "rita", "ana", "sam"])
def test_only_admins_find_the_pages(client, cast, who):
    # given
    price = reason("Price")
    outcome = OutcomeType.objects.get(name="Unknown")
    client.force_login(getattr(cast, who))

    # when / then
    for url in [
        *PAGES,
        f"/settings/reasons/{price.pk}/",
        f"/settings/outcome-types/{outcome.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        "/settings/reasons/",
        f"/settings/reasons/{price.pk}/retire/",
        f"/settings/reasons/{price.pk}/merge/",
    ]:
        assert client.post(url, {"name": "Sneaky", "target": price.pk}).status_code == 404
    assert reason("Price").is_active
    assert not LossReason.objects.filter(name="Sneaky").exists()


def test_settings_link_to_the_lists(client, adam):
    client.force_login(adam)
    page = client.get("/settings/").content.decode()
    assert 'href="/settings/reasons/"' in page
    assert 'href="/settings/outcome-types/"' in page


def test_adding_and_renaming_a_reason(client, adam):
    # given
    client.force_login(adam)

    # when
    client.post("/settings/reasons/", {"name": "Security review", "outside_rep_control": "on"})
    added = reason("Security review")
    duplicate = client.post("/settings/reasons/", {"name": "price"})
    client.post(
        f"/settings/reasons/{added.pk}/",
        {"name": "Security and compliance", "outside_rep_control": "on"},
    )

    # then
    assert added.outside_rep_control
    assert duplicate.status_code == 400
    assert "already on the list" in field_error(duplicate, "name")
    renamed = LossReason.objects.get(pk=added.pk)
    assert renamed.name == "Security and compliance"
    assert ReasonEvent.objects.filter(reason=renamed, kind=ReasonEventKind.RENAMED).exists()


def test_retiring_keeps_past_losses_and_hides_it_for_new_ones(client, adam, rita, make_deal):
    # given a past loss for Timing
    deal = make_deal(rita, name="Timing loss")
    lose(deal, rita, reasons=("Timing",))
    timing = reason("Timing")
    client.force_login(adam)

    # when
    client.post(f"/settings/reasons/{timing.pk}/retire/")

    # then it is not offered to a rep, but the past loss still names it
    client.force_login(rita)
    fresh = make_deal(rita)
    assert f'value="{timing.pk}"' not in client.get(f"/deals/{fresh.pk}/lose/").content.decode()
    assert "Timing" in text(client.get(f"/deals/{deal.pk}/"))

    # when it is restored
    client.force_login(adam)
    client.post(f"/settings/reasons/{timing.pk}/restore/")

    # then
    assert reason("Timing").is_active


def test_merging_moves_past_losses_and_leaves_an_event(client, adam, rita, make_deal):
    # given
    loss = lose(make_deal(rita), rita, reasons=("Other",))
    other, price = reason("Other"), reason("Price")
    client.force_login(adam)

    # when
    response = client.post(f"/settings/reasons/{other.pk}/merge/", {"target": price.pk})

    # then
    assert response.status_code == 302
    assert list(loss.reasons.all()) == [price]
    other.refresh_from_db()
    assert (other.is_active, other.merged_into) == (False, price)
    event = ReasonEvent.objects.get(reason=other, kind=ReasonEventKind.MERGED)
    assert event.data["losses_moved"] == 1
    assert "Merged into Price" in text(client.get("/settings/reasons/"))


def test_merging_a_reason_into_itself_is_refused_beside_the_field(client, adam):
    # given
    price = reason("Price")
    client.force_login(adam)

    # when
    response = client.post(f"/settings/reasons/{price.pk}/merge/", {"target": price.pk})

    # then
    assert response.status_code == 400
    assert "cannot be merged into itself" in field_error(response, "target")
    assert reason("Price").is_active


def test_the_other_warning_shows_on_the_reason_list(client, adam, rita, make_deal):
    # given
    lose(make_deal(rita), rita, reasons=("Other",))
    client.force_login(adam)

    # when
    page = text(client.get("/settings/reasons/"))

    # then
    assert "'Other' was given for 1 of the 1 losses" in page


def test_outcome_types_are_added_renamed_and_retired(client, adam):
    # given
    client.force_login(adam)

    # when
    client.post("/settings/outcome-types/", {"name": "Merged with another project"})
    added = OutcomeType.objects.get(name="Merged with another project")
    client.post(f"/settings/outcome-types/{added.pk}/", {"name": "Folded into another project"})

    # then
    added.refresh_from_db()
    assert (added.name, added.is_active) == ("Folded into another project", False)
    page = text(client.get("/settings/outcome-types/"))
    assert "Folded into another project" in page
    assert "Retired" in page
