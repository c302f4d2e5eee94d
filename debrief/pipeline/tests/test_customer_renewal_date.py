"""A customer's renewal or budget date (when to come back after a loss) is set and changed
on the customer form and through the API, and shown on the customer's page."""

from __future__ import annotations

import datetime as dt

from debrief.pipeline.models import Customer
from debrief.pipeline.tests.pages import form_values, text


def test_the_form_sets_and_keeps_the_renewal_date(client, rita):
    # given
    client.force_login(rita)

    # when
    client.post("/customers/new/", {"name": "Renewco", "renewal_on": "2027-03-31"})
    customer = Customer.objects.get(name="Renewco")
    edit = client.get(f"/customers/{customer.pk}/edit/")
    saved = client.post(f"/customers/{customer.pk}/edit/", form_values(edit, having="renewal_on"))

    # then
    assert form_values(edit, having="renewal_on")["renewal_on"] == "2027-03-31"
    assert saved.status_code == 302
    customer.refresh_from_db()
    assert customer.renewal_on == dt.date(2027, 3, 31)
    assert "31 Mar 2027" in text(client.get(f"/customers/{customer.pk}/"))


def test_the_api_reads_writes_and_clears_the_renewal_date(api_client, cast):
    # given
    api = api_client.as_user(cast.rita)

    # when
    created = api.post("/api/v1/customers", {"name": "Apico", "renewal_on": "2027-01-15"})
    url = f"/api/v1/customers/{created.json()['id']}"
    moved = api.patch(url, {"renewal_on": "2027-06-30"})
    cleared = api.patch(url, {"renewal_on": None})

    # then
    assert created.status_code == 201, created.content
    assert created.json()["renewal_on"] == "2027-01-15"
    assert moved.json()["renewal_on"] == "2027-06-30"
    assert cleared.json()["renewal_on"] is None
    assert api.get(url).json()["renewal_on"] is None


def test_a_bad_renewal_date_is_named(api_client, cast):
    # when
    response = api_client.as_user(cast.rita).post(
        "/api/v1/customers", {"name": "Badco", "renewal_on": "someday"}
    )

    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["renewal_on"]
