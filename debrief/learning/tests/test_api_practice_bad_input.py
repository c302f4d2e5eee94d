"""A best practice with no statement, or conditions naming stages or competitors that do not
exist, is refused with the field named, and nothing is saved or published."""

from __future__ import annotations

from debrief.learning import actions
from debrief.learning.models import BestPractice, PracticeEvent, PracticeStatus
from debrief.pipeline.actions import create_competitor


def test_publishing_with_no_statement_is_refused(api_client, cast, north):
    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/practices", {"team": north.pk, "statement": "  ", "publish": True}
    )

    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["statement"]
    assert not BestPractice.objects.exists()


def test_unknown_stage_and_competitor_ids_are_named_and_nothing_is_saved(
    api_client, cast, north, stages
):
    # given
    acme = create_competitor(None, "Acme")

    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/practices",
        {
            "team": north.pk,
            "statement": "Lead with references",
            "stage_ids": [stages["Proposal"].pk, 98765],
            "competitor_ids": [acme.pk, 45678],
            "publish": True,
        },
    )

    # then
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors == {
        "stage_ids": "No stage with id 98765.",
        "competitor_ids": "No competitor with id 45678.",
    }
    assert not BestPractice.objects.exists()


def test_a_closed_stage_is_no_condition_for_open_deals(api_client, cast, north, stages):
    # when
    response = api_client.as_user(cast.maya).post(
        "/api/v1/practices",
        {"team": north.pk, "statement": "Ask why", "stage_ids": [stages["Closed Won"].pk]},
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stage_ids"
    assert not BestPractice.objects.exists()


def test_changing_a_draft_to_unknown_ids_keeps_it_as_it_was(api_client, cast, north, stages):
    # given a draft in Proposal
    practice = actions.write_practice(
        cast.maya,
        actions.PracticeInput(statement="Lead with references", stages=[stages["Proposal"]]),
        team=north,
    )

    # when
    response = api_client.as_user(cast.maya).patch(
        f"/api/v1/practices/{practice.pk}",
        {"statement": "Changed", "stage_ids": [12345], "competitor_ids": [23456]},
    )

    # then
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"stage_ids", "competitor_ids"}
    practice.refresh_from_db()
    assert practice.statement == "Lead with references"
    assert list(practice.stages.all()) == [stages["Proposal"]]


def test_publishing_twice_is_refused(api_client, cast, north):
    # given
    practice = actions.write_practice(
        cast.maya, actions.PracticeInput(statement="Lead with references"), team=north
    )
    api = api_client.as_user(cast.maya)
    assert api.post(f"/api/v1/practices/{practice.pk}/publish").status_code == 200

    # when
    response = api.post(f"/api/v1/practices/{practice.pk}/publish")

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    assert PracticeEvent.objects.filter(practice=practice, kind="published").count() == 1


def test_an_empty_statement_in_a_change_is_refused(api_client, cast, north):
    # given
    practice = actions.write_practice(
        cast.maya, actions.PracticeInput(statement="Lead with references"), team=north
    )

    # when
    response = api_client.as_user(cast.maya).patch(
        f"/api/v1/practices/{practice.pk}", {"statement": ""}
    )

    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "statement"
    practice.refresh_from_db()
    assert practice.statement == "Lead with references"


def test_a_size_range_upside_down_or_a_null_list_is_refused(api_client, cast, north):
    # given
    practice = actions.write_practice(
        cast.maya, actions.PracticeInput(statement="Lead with references"), team=north
    )
    url = f"/api/v1/practices/{practice.pk}"
    api = api_client.as_user(cast.maya)

    # when
    upside_down = api.patch(url, {"min_amount": "90000", "max_amount": "10000"})
    null_list = api.patch(url, {"stage_ids": None})
    cleared = api.patch(url, {"min_amount": None})

    # then
    assert upside_down.status_code == 422
    assert upside_down.json()["errors"][0]["field"] == "max_amount"
    assert null_list.status_code == 422
    assert null_list.json()["errors"][0]["field"] == "stage_ids"
    assert cleared.status_code == 200
    assert cleared.json()["min_amount"] is None
