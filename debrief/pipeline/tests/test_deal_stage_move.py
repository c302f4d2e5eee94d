"""Moving a deal's stage from its page leaves a timeline entry, and closing it a won or lost
one; with HTMX only the stage header and the timeline come back."""

from __future__ import annotations

from typing import Any

from debrief.pipeline.models import DealEvent, DealStatus
from debrief.pipeline.tests.pages import text


def kinds(deal: Any) -> list[str]:
    return list(
        DealEvent.objects.filter(deal=deal).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_moving_a_stage_shows_on_the_timeline(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(f"/deals/{deal.pk}/stage/", {"stage": stages["Proposal"].pk})

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/deals/{deal.pk}/"
    assert kinds(deal) == ["created", "stage_changed"]
    page = text(client.get(response["Location"]))
    assert "Moved to Proposal." in page
    assert "Stage moved from Prospecting to Proposal" in page
    assert "Rita Reyes ·" in page


def test_a_deal_is_not_lost_by_moving_its_stage(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita, stage=stages["Negotiation"])
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/stage/", {"stage": stages["Closed Lost"].pk}, follow=True
    )

    # then the page says to use the loss form, and nothing moved
    assert "Mark lost" in response.content.decode()
    deal.refresh_from_db()
    assert deal.status == DealStatus.OPEN
    assert kinds(deal) == ["created"]


def test_closing_a_deal_as_won_with_htmx_returns_the_stage_and_timeline(
    client, rita, make_deal, stages
):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/stage/",
        {"stage": stages["Closed Won"].pk},
        headers={"HX-Request": "true"},
    )

    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="deal-stage"' in body
    assert 'id="deal-timeline"' in body and 'hx-swap-oob="true"' in body
    assert 'class="ev-won"' in body
    assert "Stage moved from Prospecting to Closed Won" in body
    assert kinds(deal) == ["created", "stage_changed", "won"]


def test_a_retired_or_unknown_stage_is_refused(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/stage/", {"stage": "999999"}, headers={"HX-Request": "true"}
    )

    # then
    assert response.status_code == 200
    assert "Pick an open or won stage" in response.content.decode()
    assert kinds(deal) == ["created"]


def test_the_stage_move_only_takes_posts(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.get(f"/deals/{deal.pk}/stage/")

    # then
    assert response.status_code == 405
