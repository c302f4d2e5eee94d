"""`POST /api/v1/deals/{id}/stage` moves a deal through the pipeline and records each
crossing as an event row that the deal's timeline then shows."""

from __future__ import annotations


def test_moving_a_stage_records_the_event(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)
    client = api_client.as_user(cast.rita)

    # when
    moved = client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Proposal"].pk})
    timeline = client.get(f"/api/v1/deals/{deal.pk}/events").json()

    # then
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"]["name"] == "Proposal"
    newest = timeline["items"][0]
    assert newest["kind"] == "stage_changed"
    assert (newest["from_value"], newest["to_value"]) == ("Prospecting", "Proposal")
    assert newest["description"] == "Stage moved from Prospecting to Proposal"
    assert newest["actor"]["email"] == "rita@example.com"
    assert timeline["items"][-1]["kind"] == "created"


def test_winning_and_reopening_are_their_own_events(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)
    client = api_client.as_user(cast.maya)

    # when
    won = client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Closed Won"].pk})
    reopened = client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Proposal"].pk})
    kinds = [e["kind"] for e in client.get(f"/api/v1/deals/{deal.pk}/events").json()["items"]]

    # then
    assert (won.json()["status"], won.json()["closed_on"] is not None) == ("won", True)
    assert (reopened.json()["status"], reopened.json()["closed_on"]) == ("open", None)
    assert kinds == ["reopened", "stage_changed", "won", "stage_changed", "created"]


def test_an_unknown_or_retired_stage_is_refused(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)
    from debrief.pipeline import actions

    actions.update_stage(stages["Discovery"], None, is_active=False)
    client = api_client.as_user(cast.rita)

    # when
    unknown = client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": 999999})
    retired = client.post(f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Discovery"].pk})

    # then
    for response in (unknown, retired):
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["stage"]
    assert list(deal.events.values_list("kind", flat=True)) == ["created"]


def test_another_team_cannot_move_the_deal(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)

    # when
    response = api_client.as_user(cast.sam).post(
        f"/api/v1/deals/{deal.pk}/stage", {"stage": stages["Closed Won"].pk}
    )

    # then
    assert response.status_code == 404
    deal.refresh_from_db()
    assert deal.status == "open"
