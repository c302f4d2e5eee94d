"""A deal's contacts through the API: list them, add one with their role, take one off."""

from __future__ import annotations

from typing import Any

import pytest

from debrief.pipeline import actions


@pytest.fixture
def deal(cast: Any, make_deal: Any) -> Any:
    return make_deal(cast.rita)


def test_add_list_and_remove_a_contact(api_client, cast, deal):
    # given
    contact = actions.create_contact(deal.customer, None, name="Dana Diaz", title="CFO")
    client = api_client.as_user(cast.rita)

    # when
    added = client.post(
        f"/api/v1/deals/{deal.pk}/contacts", {"contact": contact.pk, "role": "decision_maker"}
    )
    listed = client.get(f"/api/v1/deals/{deal.pk}/contacts").json()
    detail = client.get(f"/api/v1/deals/{deal.pk}").json()
    removed = client.delete(f"/api/v1/deals/{deal.pk}/contacts/{contact.pk}")
    after = client.get(f"/api/v1/deals/{deal.pk}/contacts").json()

    # then
    assert added.status_code == 201, added.content
    assert added.json() == {
        "contact": {
            "id": contact.pk,
            "name": "Dana Diaz",
            "title": "CFO",
            "email": "",
            "phone": "",
        },
        "role": "decision_maker",
    }
    assert listed["count"] == 1
    assert detail["contacts"] == [added.json()]
    assert removed.status_code == 204
    assert after == {"count": 0, "items": []}


def test_adding_again_changes_the_role(api_client, cast, deal):
    # given
    contact = actions.create_contact(deal.customer, None, name="Dana Diaz")
    client = api_client.as_user(cast.rita)
    client.post(f"/api/v1/deals/{deal.pk}/contacts", {"contact": contact.pk, "role": "evaluator"})

    # when
    client.post(f"/api/v1/deals/{deal.pk}/contacts", {"contact": contact.pk, "role": "champion"})

    # then
    items = client.get(f"/api/v1/deals/{deal.pk}/contacts").json()["items"]
    assert [i["role"] for i in items] == ["champion"]


def test_a_contact_of_another_customer_or_an_unknown_role_is_refused(
    api_client, cast, deal, make_customer
):
    # given
    other = make_customer(team=cast.rita.teams.get())
    stranger = actions.create_contact(other, None, name="Sol Stranger")
    contact = actions.create_contact(deal.customer, None, name="Dana Diaz")
    client = api_client.as_user(cast.rita)

    # when
    wrong_customer = client.post(f"/api/v1/deals/{deal.pk}/contacts", {"contact": stranger.pk})
    wrong_role = client.post(
        f"/api/v1/deals/{deal.pk}/contacts", {"contact": contact.pk, "role": "boss"}
    )

    # then
    assert [e["field"] for e in wrong_customer.json()["errors"]] == ["contact"]
    assert [e["field"] for e in wrong_role.json()["errors"]] == ["role"]
    assert not deal.deal_contacts.exists()


def test_removing_a_contact_not_on_the_deal_is_a_404(api_client, cast, deal):
    # given
    contact = actions.create_contact(deal.customer, None, name="Dana Diaz")

    # when
    response = api_client.as_user(cast.rita).delete(
        f"/api/v1/deals/{deal.pk}/contacts/{contact.pk}"
    )

    # then
    assert response.status_code == 404


def test_the_analyst_reads_but_does_not_change_contacts(api_client, cast, deal):
    # given
    contact = actions.create_contact(deal.customer, None, name="Dana Diaz")
    actions.add_deal_contact(deal, contact, "champion", None)
    client = api_client.as_user(cast.ana)

    # when
    listed = client.get(f"/api/v1/deals/{deal.pk}/contacts")
    added = client.post(f"/api/v1/deals/{deal.pk}/contacts", {"contact": contact.pk})
    removed = client.delete(f"/api/v1/deals/{deal.pk}/contacts/{contact.pk}")

    # then
    assert listed.json()["count"] == 1
    assert (added.status_code, removed.status_code) == (403, 403)
    assert deal.deal_contacts.count() == 1
