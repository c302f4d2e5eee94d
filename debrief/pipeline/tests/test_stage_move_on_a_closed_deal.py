"""A closed deal is not reopened by one careless click: on a won deal the stage move starts
on an empty "Choose a stage"; a lost deal has no stage move at all (it is reopened from its
loss section, which keeps the loss in its history)."""

from __future__ import annotations

import re

from debrief.pipeline import actions
from debrief.pipeline.models import DealStatus
from debrief.pipeline.tests.pages import text


def stage_select(page: str) -> str:
    match = re.search(r'<select name="stage"[^>]*>(.*?)</select>', page, re.S)
    assert match, "no stage move on the page"
    return match.group(1)


def test_an_open_deal_offers_its_current_stage(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita, stage=stages["Proposal"])
    client.force_login(rita)

    # when
    options = stage_select(text(client.get(f"/deals/{deal.pk}/")))

    # then
    assert f'<option value="{stages["Proposal"].pk}" selected>' in options
    assert "Choose a stage" not in options


def test_a_won_deal_starts_on_an_empty_choice(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita, stage=stages["Closed Won"])
    client.force_login(rita)

    # when
    options = stage_select(text(client.get(f"/deals/{deal.pk}/")))
    response = client.post(f"/deals/{deal.pk}/stage/", {"stage": ""})

    # then nothing is chosen, and sending it so moves nothing
    assert options.lstrip().startswith('<option value="" selected>Choose a stage</option>')
    assert response.status_code == 400
    assert "Choose the stage to move the deal to." in text(response)
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON


def test_a_lost_deal_has_no_stage_move(client, rita, north, make_customer, stages):
    # given a deal imported as lost
    deal = actions.create_deal(
        None,
        name="Gone",
        customer=make_customer(team=north),
        owner=rita,
        stage=stages["Closed Lost"],
        currency="USD",
    )
    client.force_login(rita)

    # when
    page = text(client.get(f"/deals/{deal.pk}/"))
    response = client.post(f"/deals/{deal.pk}/stage/", {"stage": stages["Proposal"].pk})

    # then
    assert 'id="stage_stage"' not in page
    assert "Move stage" not in page
    assert response.status_code == 400
    assert "Reopen a lost deal from its loss section" in text(response)
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
