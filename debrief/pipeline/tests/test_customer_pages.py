"""Customer pages: the list with the open deals each viewer may see, the customer page with
its contacts and visible deals, and creating and editing customers and contacts."""

from __future__ import annotations

from typing import Any

from debrief.pipeline import actions
from debrief.pipeline.models import Contact, Customer
from debrief.pipeline.tests.pages import customer_names, deal_names, field_error, text


def open_deal_count(response: Any, customer: Any) -> int:
    body = response.content.decode()
    row = body[body.index(f'href="/customers/{customer.pk}/"') :]
    cell = row[row.index('data-label="Open deals"') :]
    return int(cell[cell.index(">") + 1 : cell.index("</td>")])


def test_the_list_counts_the_open_deals_each_viewer_may_see(
    client, cast, north, make_customer, make_deal, stages
):
    # given
    acme = make_customer(name="Acme", team=north)
    make_deal(cast.rita, customer=acme)
    make_deal(cast.rita, customer=acme, stage=stages["Closed Won"])
    make_deal(cast.nico, customer=acme)
    make_customer(name="Southern Star", team=cast.oscar.teams.get())

    # when
    client.force_login(cast.rita)
    as_rita = client.get("/customers/")
    client.force_login(cast.maya)
    as_maya = client.get("/customers/")

    # then
    assert "Acme" in customer_names(as_rita)
    assert "Southern Star" not in customer_names(as_rita)
    assert open_deal_count(as_rita, acme) == 1
    assert open_deal_count(as_maya, acme) == 2


def test_the_list_searches_and_pages(client, adam, make_customer):
    # given
    for n in range(55):
        make_customer(name=f"Firm {n:02d}", region="Nordics" if n == 7 else "Iberia")
    client.force_login(adam)

    # when
    first = client.get("/customers/")
    second = client.get("/customers/", {"page": 2})
    found = client.get("/customers/", {"q": "nordic"})
    partial = client.get("/customers/", {"q": "nordic"}, headers={"HX-Request": "true"})

    # then
    assert len(customer_names(first)) == 50
    assert customer_names(second) == [f"Firm {n}" for n in range(50, 55)]
    assert customer_names(found) == ["Firm 07"]
    assert customer_names(partial) == ["Firm 07"]
    assert "<html" not in partial.content.decode()


def test_the_customer_page_shows_contacts_and_only_visible_deals(
    client, cast, north, make_customer, make_deal
):
    # given
    acme = make_customer(name="Acme", team=north, website="https://acme.example")
    actions.create_contact(acme, None, name="Jo Park", title="COO", email="jo@acme.example")
    make_deal(cast.rita, customer=acme, name="Rita's Acme deal")
    make_deal(cast.nico, customer=acme, name="Nico's Acme deal")
    client.force_login(cast.rita)

    # when
    response = client.get(f"/customers/{acme.pk}/")

    # then
    page = text(response)
    assert "Jo Park" in page and "COO" in page and "jo@acme.example" in page
    assert "https://acme.example" in page
    assert deal_names(response) == ["Rita's Acme deal"]
    assert f'href="/deals/?customer={acme.pk}"' in page


def test_another_teams_customer_is_not_found(client, oscar, north, make_customer):
    # given
    acme = make_customer(name="Acme", team=north)
    client.force_login(oscar)

    # when
    responses = [
        client.get(f"/customers/{acme.pk}/"),
        client.get(f"/customers/{acme.pk}/edit/"),
        client.post(f"/customers/{acme.pk}/contacts/new/", {"name": "Spy"}),
    ]

    # then
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert not Contact.objects.exists()


def test_a_rep_creates_and_edits_a_customer(client, rita, north):
    # given
    client.force_login(rita)

    # when
    created = client.post(
        "/customers/new/",
        {"name": "Blue Harbour", "segment": "Logistics", "owner": rita.pk, "team": north.pk},
    )

    # then
    customer = Customer.objects.get(name="Blue Harbour")
    assert created["Location"] == f"/customers/{customer.pk}/"
    assert (customer.owner, customer.team) == (rita, north)

    # when
    edited = client.post(
        f"/customers/{customer.pk}/edit/",
        {"name": "Blue Harbour AS", "segment": "Shipping", "owner": rita.pk, "team": north.pk},
    )

    # then
    assert edited.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.segment) == ("Blue Harbour AS", "Shipping")


def test_a_customer_needs_a_name_and_a_valid_website(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.post("/customers/new/", {"name": "", "website": "not a site"})

    # then
    assert field_error(response, "name") == "This field is required."
    assert field_error(response, "website") == "Enter a valid URL."
    assert not Customer.objects.exists()


def test_a_rep_adds_and_edits_a_contact(client, rita, north, make_customer):
    # given
    acme = make_customer(name="Acme", team=north)
    client.force_login(rita)

    # when
    added = client.post(
        f"/customers/{acme.pk}/contacts/new/",
        {"name": "Lena Ortiz", "title": "Head of IT", "email": "lena@acme.example"},
    )

    # then
    contact = Contact.objects.get(customer=acme)
    assert added["Location"] == f"/customers/{acme.pk}/#contacts"
    assert "Lena Ortiz" in text(client.get(f"/customers/{acme.pk}/"))

    # when
    edited = client.post(
        f"/contacts/{contact.pk}/edit/",
        {"name": "Lena Ortiz", "title": "CIO", "email": "bad-email"},
    )

    # then
    assert field_error(edited, "email") == "Enter a valid email address."

    # when
    client.post(f"/contacts/{contact.pk}/edit/", {"name": "Lena Ortiz", "title": "CIO"})

    # then
    contact.refresh_from_db()
    assert contact.title == "CIO"


def test_a_contact_added_from_a_deal_returns_to_the_deal(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/customers/{deal.customer_id}/contacts/new/", {"name": "Tom Lee", "deal": deal.pk}
    )

    # then
    assert response["Location"] == f"/deals/{deal.pk}/#contacts"


def test_the_analyst_reads_customers_but_cannot_change_them(client, ana, north, make_customer):
    # given
    acme = make_customer(name="Acme", team=north)
    client.force_login(ana)

    # when
    page = client.get(f"/customers/{acme.pk}/")
    responses = [
        client.get("/customers/new/"),
        client.get(f"/customers/{acme.pk}/edit/"),
        client.post(f"/customers/{acme.pk}/contacts/new/", {"name": "Nope"}),
    ]

    # then
    assert page.status_code == 200
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert not Contact.objects.exists()
