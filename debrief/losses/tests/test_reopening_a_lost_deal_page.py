"""A lost deal can be reopened from its page into an open stage: the loss stays in its
history, and the deal can be lost again later."""

from __future__ import annotations

from debrief.losses.models import DebriefStatus, LossRecord
from debrief.losses.tests.page_helpers import lose, text
from debrief.pipeline.models import DealEvent, DealStatus


def test_reopening_keeps_the_loss_as_history(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    loss = lose(deal, rita)
    client.force_login(rita)

    # when
    response = client.post(f"/deals/{deal.pk}/reopen/", {"stage": stages["Negotiation"].pk})

    # then
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.status, deal.stage) == (DealStatus.OPEN, stages["Negotiation"])
    loss.refresh_from_db()
    assert loss.reopened_at is not None
    assert loss.debrief.status == DebriefStatus.CANCELLED
    assert DealEvent.objects.filter(deal=deal, kind="reopened").exists()
    page = text(client.get(f"/deals/{deal.pk}/"))
    assert "is open again" in page
    assert "Earlier losses" in page
    assert "Mark lost" in page


def test_reopening_into_a_closed_stage_is_refused(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    lose(deal, rita)
    client.force_login(rita)

    # when
    client.post(f"/deals/{deal.pk}/reopen/", {"stage": stages["Closed Won"].pk})

    # then
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert LossRecord.objects.get(deal=deal).reopened_at is None


def test_only_those_who_edit_the_deal_reopen_it(client, rita, oscar, ana, make_deal, stages):
    # given
    deal = make_deal(rita)
    lose(deal, rita)

    # when / then
    client.force_login(oscar)
    assert (
        client.post(f"/deals/{deal.pk}/reopen/", {"stage": stages["Proposal"].pk}).status_code
        == 404
    )
    client.force_login(ana)
    assert (
        client.post(f"/deals/{deal.pk}/reopen/", {"stage": stages["Proposal"].pk}).status_code
        == 403
    )
    client.force_login(rita)
    assert client.get(f"/deals/{deal.pk}/reopen/").status_code == 405
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
