""" "Debriefs due": the open debriefs in the user's scope, soonest first, with overdue
post-mortems flagged."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from debrief.losses import actions
from debrief.losses.models import Debrief
from debrief.losses.tests.page_helpers import lose, text

ROW = re.compile(r'data-label="Deal"><div><a href="/debriefs/\d+/">([^<]*)</a>')


def listed(response) -> list[str]:
    return [html.unescape(name) for name in ROW.findall(response.content.decode())]


def test_open_debriefs_soonest_first_with_overdue_flagged(client, maya, rita, nico, make_deal):
    # given a major loss a month ago (its post-mortem is overdue), an ordinary loss today,
    # a declined debrief, and a loss whose customer said no to a call
    old = lose(make_deal(rita, name="Major", amount=Decimal("800000")), rita, days_ago=30)
    lose(make_deal(nico, name="Ordinary"), nico)
    declined = lose(make_deal(rita, name="Declined"), rita)
    actions.close_debrief(declined.debrief, rita, "declined")
    lose(make_deal(rita, name="No call"), rita, consent="no")
    client.force_login(maya)

    # when
    response = client.get("/debriefs/")

    # then
    soonest_first = [
        d.loss.deal.name
        for d in sorted(
            Debrief.objects.filter(status__in=["proposed", "scheduled"]), key=lambda d: d.when
        )
    ]
    assert listed(response) == soonest_first
    assert set(soonest_first) == {"Major", "Ordinary"}
    major_row = re.search(
        r"<tr>(?:(?!</tr>).)*Major(?:(?!</tr>).)*</tr>", response.content.decode(), re.S
    )
    assert major_row is not None
    assert "Overdue" in major_row.group(0)
    assert old.debrief.is_overdue()
    assert "2 open debriefs" in text(response)


def test_only_mine_and_the_other_team(client, maya, rita, nico, oscar, make_deal):
    # given
    lose(make_deal(rita, name="Rita's"), rita)
    lose(make_deal(nico, name="Nico's"), nico)

    # when / then
    client.force_login(rita)
    assert listed(client.get("/debriefs/")) == ["Rita's"]
    client.force_login(maya)
    assert set(listed(client.get("/debriefs/"))) == {"Rita's", "Nico's"}
    assert listed(client.get("/debriefs/", {"mine": "1"})) == []
    client.force_login(oscar)
    assert listed(client.get("/debriefs/")) == []
