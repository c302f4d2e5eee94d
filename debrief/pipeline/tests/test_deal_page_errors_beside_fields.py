"""Without JavaScript, a refused stage move or contact comes back on the deal page with the
error beside the field that caused it (and what was chosen still chosen)."""

from __future__ import annotations

from debrief.pipeline import actions
from debrief.pipeline.models import DealContact
from debrief.pipeline.tests.pages import text


def error_beside(response, field_id: str) -> str:
    page = text(response)
    marker = f'<ul class="errorlist" id="{field_id}_error">'
    assert marker in page, f"no error beside {field_id}"
    return page.split(marker, 1)[1].split("</ul>", 1)[0]


def test_a_refused_stage_move_shows_beside_the_stage(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when she picks the lost stage, which only "Mark lost" may use
    response = client.post(f"/deals/{deal.pk}/stage/", {"stage": stages["Closed Lost"].pk})

    # then
    assert response.status_code == 400
    assert "Pick an open or won stage" in error_beside(response, "stage_stage")
    assert 'id="deal-timeline"' in text(response)


def test_a_refused_contact_shows_beside_the_contact(client, rita, make_deal, make_customer, north):
    # given a contact of another customer
    deal = make_deal(rita)
    actions.create_contact(deal.customer, None, name="Priya Shah")
    stranger = actions.create_contact(make_customer(team=north), None, name="Stranger")
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/contacts/add/", {"contact": stranger.pk, "role": "champion"}
    )

    # then
    assert response.status_code == 400
    assert "Select a valid choice" in error_beside(response, "contact_contact")
    assert '<option value="champion" selected>' in text(response)
    assert not DealContact.objects.exists()


def test_an_added_contact_goes_back_to_the_deal(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    contact = actions.create_contact(deal.customer, None, name="Priya Shah")
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/contacts/add/", {"contact": contact.pk, "role": "champion"}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/#contacts"
    assert DealContact.objects.get().role == "champion"
