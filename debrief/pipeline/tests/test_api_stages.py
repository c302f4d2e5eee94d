"""Everyone reads the pipeline's stages through the API; only admins add or change them."""

from __future__ import annotations

import pytest

from debrief.pipeline.models import Stage


def test_everyone_lists_the_stages_in_order(api_client, cast, stages):
    # when
    body = api_client.as_user(cast.ana).get("/api/v1/stages").json()

    # then
    assert [s["name"] for s in body["items"]] == list(stages)
    won = next(s for s in body["items"] if s["name"] == "Closed Won")
    assert (won["kind"], won["is_active"]) == ("won", True)


def test_an_admin_adds_and_changes_a_stage(api_client, cast, stages):
    # given
    client = api_client.as_user(cast.adam)

    # when
    created = client.post("/api/v1/stages", {"name": "Pilot", "kind": "open", "probability": 60})
    changed = client.patch(f"/api/v1/stages/{created.json()['id']}", {"probability": 65})

    # then
    assert created.status_code == 201, created.content
    assert created.json()["order"] > max(s.order for s in stages.values())
    assert changed.json()["probability"] == 65
    assert client.get(f"/api/v1/stages/{created.json()['id']}").json()["name"] == "Pilot"


@pytest.mark.parametrize("who", ["rita", "maya", "ana"])
def test_no_one_else_changes_stages(api_client, cast, stages, who):
    # given
    client = api_client.as_user(getattr(cast, who))

    # when
    created = client.post("/api/v1/stages", {"name": "Pilot", "kind": "open"})
    changed = client.patch(f"/api/v1/stages/{stages['Proposal'].pk}", {"name": "Offer"})

    # then
    assert (created.status_code, changed.status_code) == (403, 403)
    assert "admins" in created.json()["detail"] or "Analysts read" in created.json()["detail"]
    assert not Stage.objects.filter(name__in=["Pilot", "Offer"]).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Prospecting", "kind": "open"}, "name"),
        ({"name": "Pilot", "kind": "maybe"}, "kind"),
        ({"name": "Pilot", "kind": "open", "probability": 120}, "probability"),
    ],
)
def test_a_bad_stage_names_the_field(api_client, cast, stages, payload, field):
    # when
    response = api_client.as_user(cast.adam).post("/api/v1/stages", payload)

    # then
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_stage_with_deals_keeps_its_kind(api_client, cast, make_deal, stages):
    # given
    make_deal(cast.rita, stage=stages["Proposal"])

    # when
    response = api_client.as_user(cast.adam).patch(
        f"/api/v1/stages/{stages['Proposal'].pk}", {"kind": "won"}
    )

    # then
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]
