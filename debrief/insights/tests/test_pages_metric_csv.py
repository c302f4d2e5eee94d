"""Each insights table downloads as CSV: the same rows and figures as the page shows (shares
as fractions rather than percentages), the overall row last, for the same grouping, period and
user."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from debrief.insights.charts import percent
from debrief.insights.tests.test_pages_insights import table


def read_csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def book(close_deal: Any, rita: Any, nico: Any, oscar: Any) -> None:
    for owner, status, reasons in (
        (rita, "won", ()),
        (rita, "lost", ("Price",)),
        (rita, "lost", ("Timing",)),
        (nico, "won", ()),
        (nico, "lost", ("Price",)),
        (oscar, "lost", ("Price",)),
    ):
        close_deal(owner, status, reasons=reasons or ("Price",))


def test_the_win_rate_csv_holds_the_table_of_the_page(client, cast, book):
    # given
    client.force_login(cast.maya)
    html = client.get("/insights/win-rate/", {"by": "owner"}).content.decode()
    link = re.search(r'href="([^"]+)" id="csv-link"', html)
    assert link
    # when
    response = client.get(link.group(1).replace("&amp;", "&"))
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="debrief-win-rate-owner.csv"'
    header, *rows, overall = read_csv(response)
    assert header == ["Owner", "Won", "Lost", "Win rate"]
    shown = [[g, w, lost, percent(float(r))] for g, w, lost, r in rows]
    assert shown == table(html)
    assert overall == ["All", "2", "3", "0.4"]  # Maya's team: Rita and Nico


def test_the_csv_follows_the_user_and_the_period(client, cast, book):
    client.force_login(cast.rita)
    header, *rows = read_csv(client.get("/insights/loss-reasons/export.csv"))
    assert header == ["Reason", "Losses", "Share of losses", "Value"]
    assert sorted(r[:2] for r in rows[:-1]) == [["Price", "1"], ["Timing", "1"]]
    assert rows[-1][:2] == ["All", "2"]
    _, *none = read_csv(client.get("/insights/loss-reasons/export.csv", {"to": "2001-01-31"}))
    assert none == [["All", "0", "", ""]]


def test_a_bad_csv_request_is_refused_plainly(client, cast, book):
    client.force_login(cast.rita)
    response = client.get("/insights/win-rate/export.csv", {"by": "shoe-size"})
    assert response.status_code == 400
    assert "shoe-size" in response.content.decode()
