"""Reopening a lost deal through the API: the deal moves to an open stage, the loss stays in
history marked as no longer standing, and its pending debrief is cancelled."""

from __future__ import annotations

from debrief.losses.models import DebriefStatus
from debrief.losses.tests.api_helpers import errors, lose
from debrief.pipeline.models import DealStatus


def test_a_rep_reopens_their_lost_deal(api_client, cast, make_deal, stages):
    # given
    deal = make_deal(cast.rita)
    loss = lose(deal, cast.rita)

    # when
    response = api_client.as_user(cast.rita).post(
        f"/api/v1/losses/{loss.pk}/reopen", {"stage": stages["Negotiation"].pk}
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["reopened_at"] is not None
    deal.refresh_from_db()
    assert (deal.status, deal.stage) == (DealStatus.OPEN, stages["Negotiation"])
    loss.debrief.refresh_from_db()
    assert loss.debrief.status == DebriefStatus.CANCELLED
    assert deal.events.filter(kind="reopened").exists()


def test_a_loss_is_reopened_once_and_only_into_an_open_stage(api_client, cast, make_deal, stages):
    # given
    loss = lose(make_deal(cast.rita), cast.rita)
    client = api_client.as_user(cast.rita)

    # when
    into_won = client.post(f"/api/v1/losses/{loss.pk}/reopen", {"stage": stages["Closed Won"].pk})
    unknown = client.post(f"/api/v1/losses/{loss.pk}/reopen", {"stage": 999_999})
    client.post(f"/api/v1/losses/{loss.pk}/reopen", {"stage": stages["Proposal"].pk})
    again = client.post(f"/api/v1/losses/{loss.pk}/reopen", {"stage": stages["Proposal"].pk})

    # then
    assert "open stage" in errors(into_won)["stage"]
    assert "No stage with id 999999" in errors(unknown)["stage"]
    assert "no longer stands" in errors(again)["loss"]


def test_only_those_who_may_change_the_deal_reopen_it(api_client, cast, make_deal, stages):
    # given
    loss = lose(make_deal(cast.rita), cast.rita)
    body = {"stage": stages["Proposal"].pk}

    # when
    codes = {
        user.email.split("@")[0]: api_client.as_user(user)
        .post(f"/api/v1/losses/{loss.pk}/reopen", body)
        .status_code
        for user in (cast.oscar, cast.nico, cast.ana)
    }

    # then
    assert codes == {"oscar": 404, "nico": 404, "ana": 403}
    loss.refresh_from_db()
    assert loss.reopened_at is None
