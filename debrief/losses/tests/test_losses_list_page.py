"""The team's losses list: what each person may see, narrowed by period, reason, outcome,
competitor, debrief status, major deals, team and rep, paged, with the "Other" warning for
managers and admins."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from django.utils import timezone

from debrief.losses.tests.page_helpers import lose, outcome, reason, text
from debrief.pipeline import actions as pipeline_actions

ROW = re.compile(r'data-label="Deal"><div><a href="/deals/\d+/#loss-\d+">([^<]*)</a>')


def listed(response) -> list[str]:
    return [html.unescape(name) for name in ROW.findall(response.content.decode())]


def test_each_sees_the_losses_of_the_deals_they_see(client, cast, make_deal):
    # given
    lose(make_deal(cast.rita, name="Rita lost"), cast.rita)
    lose(make_deal(cast.nico, name="Nico lost"), cast.nico)
    lose(make_deal(cast.oscar, name="Oscar lost"), cast.oscar)

    # when / then
    expected = {
        "rita": {"Rita lost"},
        "maya": {"Rita lost", "Nico lost"},
        "sam": {"Oscar lost"},
        "ana": {"Rita lost", "Nico lost", "Oscar lost"},
        "adam": {"Rita lost", "Nico lost", "Oscar lost"},
    }
    for who, names in expected.items():
        client.force_login(getattr(cast, who))
        assert set(listed(client.get("/losses/"))) == names, who


def test_the_filters_narrow_the_list(client, maya, rita, nico, make_deal):
    # given
    competitor = pipeline_actions.create_competitor(None, "Rival Corp")
    lose(make_deal(rita, name="Old price"), rita, reasons=("Price",), days_ago=60)
    lose(
        make_deal(rita, name="Big rival", amount=Decimal("900000")),
        rita,
        reasons=("Competitor's offer",),
        competitors=[competitor],
    )
    lose(
        make_deal(nico, name="No decision"),
        nico,
        reasons=("Timing", "Price"),
        outcome_name="No decision",
        consent="no",
    )
    client.force_login(maya)

    def names(**params: object) -> set[str]:
        return set(listed(client.get("/losses/", params)))

    # when / then
    assert names(reason=reason("Price").pk) == {"Old price", "No decision"}
    assert names(outcome_type=outcome("No decision").pk) == {"No decision"}
    assert names(competitor=competitor.pk) == {"Big rival"}
    assert names(major="on") == {"Big rival"}
    assert names(owner=nico.pk) == {"No decision"}
    assert names(debrief_status="none") == {"No decision"}
    assert names(debrief_status="proposed") == {"Old price", "Big rival"}
    month_ago = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert names(lost_to=month_ago) == {"Old price"}
    assert names(lost_from=month_ago) == {"Big rival", "No decision"}


def test_a_bad_filter_is_named_and_left_out(client, rita, make_deal):
    # given
    lose(make_deal(rita, name="Rita lost"), rita)
    client.force_login(rita)

    # when
    response = client.get("/losses/", {"lost_from": "last tuesday"})

    # then
    assert response.status_code == 200
    assert "'last tuesday' is not a date (YYYY-MM-DD)" in text(response)
    assert listed(response) == ["Rita lost"]


def test_the_list_is_paged(client, rita, make_deal):
    # given
    for n in range(52):
        lose(make_deal(rita, name=f"Lost {n:02}"), rita)
    client.force_login(rita)

    # when
    first = client.get("/losses/")
    second = client.get("/losses/", {"page": 2})

    # then
    assert "52 losses" in text(first)
    assert len(listed(first)) == 50
    assert len(listed(second)) == 2


def test_filtering_with_htmx_swaps_only_the_results(client, rita, make_deal):
    # given
    lose(make_deal(rita, name="Rita lost"), rita)
    client.force_login(rita)

    # when
    response = client.get(
        "/losses/", {"reason": reason("Price").pk, "team": ""}, headers={"HX-Request": "true"}
    )

    # then
    assert "<html" not in response.content.decode()
    assert listed(response) == ["Rita lost"]
    assert response["HX-Push-Url"] == f"/losses/?reason={reason('Price').pk}"


def test_managers_and_admins_are_warned_when_other_swallows_the_list(client, cast, make_deal):
    # given "Other" on 2 of 3 recent losses
    lose(make_deal(cast.rita), cast.rita, reasons=("Other",))
    lose(make_deal(cast.rita), cast.rita, reasons=("Other",))
    lose(make_deal(cast.rita), cast.rita, reasons=("Price",))
    warning = "'Other' was given for 2 of the 3 losses of the last three months"

    # when / then
    for who, warned in (("maya", True), ("adam", True), ("rita", False), ("ana", False)):
        client.force_login(getattr(cast, who))
        assert (warning in text(client.get("/losses/"))) is warned, who
