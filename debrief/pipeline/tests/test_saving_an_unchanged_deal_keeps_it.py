"""Saving the deal form without touching it changes nothing: the dates come back as the
browser shows them, and a stage retired since or an owner who has left the team is kept."""

from __future__ import annotations

import datetime as dt

from debrief.org import actions as org_actions
from debrief.pipeline import actions
from debrief.pipeline.models import DealEvent
from debrief.pipeline.tests.pages import form_values


def test_the_dates_survive_a_save_in_a_british_locale(client, rita, make_deal):
    # given a deal with both dates, and the site in en-gb (13/12/2026 in the locale's format)
    deal = make_deal(
        rita,
        expected_close_date=dt.date(2026, 12, 13),
        next_step="Send the proposal",
        next_step_date=dt.date(2026, 11, 2),
    )
    client.force_login(rita)
    form = client.get(f"/deals/{deal.pk}/edit/")

    # when the form goes back exactly as rendered
    values = form_values(form, having="expected_close_date")
    response = client.post(f"/deals/{deal.pk}/edit/", values)

    # then
    assert (values["expected_close_date"], values["next_step_date"]) == (
        "2026-12-13",
        "2026-11-02",
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.expected_close_date == dt.date(2026, 12, 13)
    assert deal.next_step_date == dt.date(2026, 11, 2)
    assert list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True)) == ["created"]


def test_a_retired_stage_and_a_departed_owner_are_kept(client, adam, maya, rita, make_deal, stages):
    # given Rita's deal in a stage retired since, and Rita no longer in Maya's team
    deal = make_deal(rita, stage=stages["Discovery"])
    actions.update_stage(stages["Discovery"], None, is_active=False)
    org_actions.update_user(rita, adam, member_of=[])
    client.force_login(maya)
    form = client.get(f"/deals/{deal.pk}/edit/")

    # when Maya saves it with only a new name
    values = form_values(form, having="stage") | {"name": "Renamed"}
    response = client.post(f"/deals/{deal.pk}/edit/", values)

    # then
    assert response.status_code == 302, response.content.decode()
    deal.refresh_from_db()
    assert (deal.name, deal.stage, deal.owner) == ("Renamed", stages["Discovery"], rita)


def test_a_retired_stage_is_not_offered_to_other_deals(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita, stage=stages["Proposal"])
    actions.update_stage(stages["Discovery"], None, is_active=False)
    client.force_login(rita)

    # when
    page = client.get(f"/deals/{deal.pk}/edit/").content.decode()

    # then
    assert f'value="{stages["Discovery"].pk}"' not in page
