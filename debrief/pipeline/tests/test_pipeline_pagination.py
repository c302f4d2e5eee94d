"""The pipeline shows 50 deals a page, and its page links keep the filters."""

from __future__ import annotations

from debrief.pipeline.tests.pages import deal_names, text


def test_the_pipeline_pages_by_fifty_and_keeps_filters_in_page_links(client, rita, make_deal):
    # given 51 deals, created in order: the newest is listed first
    for n in range(51):
        make_deal(rita, name=f"Deal {n:02d}")
    client.force_login(rita)

    # when
    first = client.get("/deals/", {"status": "open"})
    second = client.get("/deals/", {"status": "open", "page": "2"})

    # then
    assert len(deal_names(first)) == 50
    assert "51 deals" in text(first)
    assert "Page 1 of 2" in text(first)
    assert 'href="?status=open&amp;page=2"' in first.content.decode()
    assert deal_names(second) == ["Deal 00"]
    assert "Page 2 of 2" in text(second)


def test_a_page_past_the_end_shows_the_last_page(client, rita, make_deal):
    # given
    make_deal(rita, name="Lonely")
    client.force_login(rita)

    # when
    response = client.get("/deals/", {"page": "99"})

    # then
    assert response.status_code == 200
    assert deal_names(response) == ["Lonely"]
