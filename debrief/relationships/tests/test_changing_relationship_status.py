"""The rep or manager who may change the customer changes its relationship's status, saying
why; a change made meanwhile by someone else is not overwritten."""

from __future__ import annotations

from debrief.relationships.models import Relationship, RelationshipEvent
from debrief.relationships.tests.helpers import damage, field_error, section, text


def _post(client, customer, **data):
    return client.post(f"/customers/{customer.pk}/relationship/status/", data)


def test_a_rep_changes_the_status_with_a_reason(client, rita, make_customer):
    # given
    customer = make_customer(owner=rita)
    relationship = damage(customer, rita, days_ago=10)
    client.force_login(rita)

    # when
    response = _post(
        client,
        customer,
        status="broken",
        reason="They cancelled the pilot",
        version=relationship.version,
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/relationship/"
    event = RelationshipEvent.objects.latest("pk")
    assert (event.from_status, event.to_status, event.reason, event.actor) == (
        "strained",
        "broken",
        "They cancelled the pilot",
        rita,
    )
    page = client.get(response["Location"])
    assert "Broken" in section(page, "relationship-status")
    assert "The relationship is now broken." in text(page)


def test_the_manager_of_the_team_may_change_it_too(client, rita, maya, make_customer, north):
    customer = make_customer(owner=rita, team=north)
    relationship = damage(customer, rita, days_ago=10)
    client.force_login(maya)

    response = _post(
        client,
        customer,
        status="restored",
        reason="Back on good terms",
        version=relationship.version,
    )

    assert response.status_code == 302
    assert Relationship.objects.get().status == "restored"


def test_a_reason_is_needed(client, rita, make_customer):
    customer = make_customer(owner=rita)
    relationship = damage(customer, rita, days_ago=10)
    client.force_login(rita)

    response = _post(client, customer, status="broken", reason="", version=relationship.version)

    assert response.status_code == 400
    assert "required" in field_error(response, "status_reason")
    assert Relationship.objects.get().status == "strained"


def test_a_change_made_meanwhile_is_not_overwritten(client, rita, nico, make_customer, north):
    # given Rita's page shows version 2, then Nico restores the relationship
    customer = make_customer(owner=rita, team=north)
    relationship = damage(customer, rita, days_ago=10)
    seen = relationship.version
    client.force_login(nico)
    _post(client, customer, status="restored", reason="Lunch went well", version=seen)

    # when Rita sends her change from the page she loaded before
    client.force_login(rita)
    response = _post(client, customer, status="broken", reason="No reply", version=seen)

    # then she is told, and Nico's change stands
    assert response.status_code == 400
    assert "Someone else changed this relationship" in text(response)
    assert Relationship.objects.get().status == "restored"
    assert not RelationshipEvent.objects.filter(to_status="broken").exists()


def test_another_teams_rep_cannot_change_it(client, rita, oscar, make_customer):
    customer = make_customer(owner=rita)
    relationship = damage(customer, rita, days_ago=10)
    client.force_login(oscar)

    response = _post(client, customer, status="restored", reason="x", version=relationship.version)

    assert response.status_code == 404
    assert Relationship.objects.get().status == "strained"
