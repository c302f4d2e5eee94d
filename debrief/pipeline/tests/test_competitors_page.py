"""The competitor list counts the deals each viewer may see per competitor; anyone who works
deals may add a competitor."""

from __future__ import annotations

from typing import Any

from debrief.pipeline import actions
from debrief.pipeline.models import Competitor
from debrief.pipeline.tests.pages import field_error, text


def deal_count(response: Any, name: str) -> int:
    body = response.content.decode()
    row = body[body.index(f'data-label="Competitor">{name}</td>') :]
    cell = row[row.index('data-label="Deals"') :]
    return int(cell[cell.index(">") + 1 : cell.index("</td>")])


def test_the_list_counts_visible_deals(client, cast, make_deal):
    # given
    rival = actions.create_competitor(None, "Rival Inc", "https://rival.example")
    make_deal(cast.rita, competitors=[rival])
    make_deal(cast.oscar, competitors=[rival])

    # when
    client.force_login(cast.rita)
    as_rita = client.get("/competitors/")
    client.force_login(cast.ana)
    as_ana = client.get("/competitors/")

    # then
    assert deal_count(as_rita, "Rival Inc") == 1
    assert deal_count(as_ana, "Rival Inc") == 2


def test_a_rep_adds_a_competitor_and_a_duplicate_is_refused(client, rita):
    # given
    client.force_login(rita)

    # when
    added = client.post("/competitors/", {"name": "Newco", "website": "https://newco.example"})

    # then
    assert added.status_code == 302
    assert "Newco added to the competitors." in text(client.get("/competitors/"))

    # when
    again = client.post("/competitors/", {"name": "newco"})

    # then
    assert field_error(again, "name") == "newco is already in the competitor list."
    assert Competitor.objects.count() == 1


def test_the_analyst_sees_no_form_and_cannot_add(client, ana):
    # given
    client.force_login(ana)

    # when
    page = client.get("/competitors/")
    post = client.post("/competitors/", {"name": "Sneaky"})

    # then
    assert "Add a competitor" not in page.content.decode()
    assert post.status_code == 403
    assert not Competitor.objects.exists()
