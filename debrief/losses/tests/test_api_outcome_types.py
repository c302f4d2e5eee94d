"""Outcome types through the API: everyone reads the list; admins add, rename, retire and
restore them; a retired one is not accepted for a new loss."""

from __future__ import annotations

from debrief.losses.models import OutcomeType
from debrief.losses.tests.api_helpers import errors, outcome, reason


def test_everyone_reads_the_seeded_list(api_client, cast):
    # when
    response = api_client.as_user(cast.rita).get("/api/v1/outcome-types")

    # then
    assert [i["name"] for i in response.json()["items"]] == [
        "Lost to a competitor",
        "No decision",
        "No budget",
        "Chose to build or do nothing",
        "Unknown",
    ]


def test_an_admin_adds_renames_and_retires_an_outcome_type(api_client, cast, make_deal):
    # given
    client = api_client.as_user(cast.adam)

    # when
    created = client.post("/api/v1/outcome-types", {"name": "Merged with another company"})
    url = f"/api/v1/outcome-types/{created.json()['id']}"
    renamed = client.patch(url, {"name": "Acquired"})
    retired = client.patch(url, {"is_active": False})
    loss = api_client.as_user(cast.rita).post(
        "/api/v1/losses",
        {
            "deal": make_deal(cast.rita).pk,
            "outcome_type": created.json()["id"],
            "reasons": [reason("Timing").pk],
        },
    )

    # then
    assert created.status_code == 201
    assert renamed.json()["name"] == "Acquired"
    assert retired.json()["is_active"] is False
    assert "retired" in errors(loss)["outcome_type"]


def test_the_last_active_outcome_type_stays_and_names_stay_unique(api_client, cast):
    # given
    client = api_client.as_user(cast.adam)
    OutcomeType.objects.exclude(pk=outcome().pk).update(is_active=False)

    # when
    retire_last = client.patch(f"/api/v1/outcome-types/{outcome().pk}", {"is_active": False})
    duplicate = client.post("/api/v1/outcome-types", {"name": "no DECISION"})

    # then
    assert "at least one active" in errors(retire_last)["is_active"]
    assert "already on the list" in errors(duplicate)["name"]


def test_only_admins_change_outcome_types(api_client, cast):
    # when
    codes = [
        api_client.as_user(user).post("/api/v1/outcome-types", {"name": "X"}).status_code
        for user in (cast.rita, cast.maya, cast.ana)
    ] + [
        api_client.as_user(cast.maya)
        .patch(f"/api/v1/outcome-types/{outcome().pk}", {"name": "Y"})
        .status_code
    ]

    # then
    assert codes == [403, 403, 403, 403]
    assert api_client.as_user(cast.rita).get("/api/v1/outcome-types/999999").status_code == 404
