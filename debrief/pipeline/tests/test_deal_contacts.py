"""A deal's contacts: add an existing contact of the deal's customer with their role, and
remove them."""

from __future__ import annotations

from debrief.pipeline import actions
from debrief.pipeline.models import DealContact
from debrief.pipeline.tests.pages import text


def test_a_rep_adds_and_removes_a_contact_with_a_role(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    contact = actions.create_contact(deal.customer, None, name="Priya Shah", title="CTO")
    client.force_login(rita)

    # when
    added = client.post(
        f"/deals/{deal.pk}/contacts/add/", {"contact": contact.pk, "role": "decision_maker"}
    )

    # then
    assert added.status_code == 302
    page = text(client.get(f"/deals/{deal.pk}/"))
    assert "Priya Shah" in page
    assert "Decision maker" in page

    # when
    removed = client.post(f"/deals/{deal.pk}/contacts/{contact.pk}/remove/")

    # then
    assert removed.status_code == 302
    assert not DealContact.objects.filter(deal=deal).exists()
    assert "Priya Shah removed from the deal." in text(client.get(f"/deals/{deal.pk}/"))


def test_a_contact_of_another_customer_cannot_be_added(
    client, rita, make_deal, make_customer, north
):
    # given
    deal = make_deal(rita)
    stranger = actions.create_contact(make_customer(team=north), None, name="Stranger")
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/contacts/add/", {"contact": stranger.pk, "role": "other"}, follow=True
    )

    # then
    assert not DealContact.objects.exists()
    assert "Select a valid choice" in text(response)


def test_another_team_cannot_touch_the_contacts(client, rita, oscar, make_deal):
    # given
    deal = make_deal(rita)
    contact = actions.create_contact(deal.customer, None, name="Priya Shah")
    client.force_login(oscar)

    # when
    response = client.post(
        f"/deals/{deal.pk}/contacts/add/", {"contact": contact.pk, "role": "other"}
    )

    # then
    assert response.status_code == 404
    assert not DealContact.objects.exists()
