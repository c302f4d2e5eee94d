"""A stage move over HTMX brings back, besides the stage card, everything else the move
changed (the header, the details with "Closed on", the timeline) and a line for the page's
status region, which a screen reader reads out."""

from __future__ import annotations

import re

from django.utils import timezone

from debrief.pipeline.tests.pages import text


def test_winning_refreshes_the_header_details_and_status(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    client.force_login(rita)
    page = text(client.get(f"/deals/{deal.pk}/"))

    # when
    response = client.post(
        f"/deals/{deal.pk}/stage/",
        {"stage": stages["Closed Won"].pk},
        headers={"HX-Request": "true"},
    )

    # then
    body = text(response)
    today = timezone.localdate().strftime("%-d %b %Y")
    assert re.search(r'<div id="deal-announcement" class="[^"]*" role="status">', page)
    assert re.search(r'id="deal-header" hx-swap-oob="true"', body)
    assert re.search(r'id="deal-details"[^>]*hx-swap-oob="true"', body)
    assert f'<dd id="deal-closed-on">{today}</dd>' in body
    assert f"closed {today}" in body
    assert re.search(
        r'<div id="deal-announcement" hx-swap-oob="innerHTML">'
        r'<p class="flash flash-success">Moved to Closed Won.</p>',
        body,
    )


def test_a_refused_move_is_announced_and_shown_beside_the_field(client, rita, make_deal, stages):
    # given
    deal = make_deal(rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/deals/{deal.pk}/stage/",
        {"stage": stages["Closed Lost"].pk},
        headers={"HX-Request": "true"},
    )

    # then
    body = text(response)
    assert response.status_code == 200
    assert 'id="stage_stage_error"' in body
    assert "The stage was not changed: Pick an open or won stage" in body
