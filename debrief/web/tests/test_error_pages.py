"""Not-found and not-allowed answers are friendly pages in the usual layout."""

from __future__ import annotations


def test_not_found_is_a_friendly_page(client, rita):
    # given
    client.force_login(rita)

    # when
    response = client.get("/no-such-page/")

    # then
    html = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in html
    assert 'aria-label="Main"' in html


def test_not_allowed_is_a_friendly_page(client, ana, rita, make_deal):
    # given: the analyst reads Rita's deal but may not change it
    deal = make_deal(rita)
    client.force_login(ana)

    # when
    response = client.get(f"/deals/{deal.pk}/edit/")

    # then
    html = response.content.decode()
    assert response.status_code == 403
    assert "You can see this, but not change it" in html
    assert 'aria-label="Main"' in html
