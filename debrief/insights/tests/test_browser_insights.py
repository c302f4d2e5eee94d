"""In a real browser: a manager opens insights, picks win rate, groups it by owner, changes
the period with a preset, sees the chart and the table follow (HTMX, no page load), and
downloads the table as CSV holding what the page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import login_in_browser


def _rows(page) -> list[list[str]]:
    return [
        [c.strip() for c in row.locator("th, td").all_inner_texts()]
        for row in page.locator("#insight-table tbody tr").all()
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_manager_regroups_and_repoints_insights_and_downloads_the_csv(
    browser_page, live_server, close_deal, maya, rita, nico, oscar
):
    # given North's deals (one of Rita's won in January last year) and one of South's
    page, url = browser_page, live_server.url
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    today = timezone.localdate()
    close_deal(rita, "won")
    close_deal(rita, "lost")
    close_deal(rita, "won", closed=dt.date(today.year - 1, 1, 15))
    close_deal(nico, "won")
    close_deal(nico, "lost")
    close_deal(oscar, "won")
    login_in_browser(page, live_server, maya)

    # when she opens insights and the win rate
    page.goto(f"{url}/insights/")
    expect(page.locator("#card-win-rate")).to_contain_text("60.0%")  # 3 of North's 5
    page.locator("#card-win-rate").click()
    page.wait_for_url(f"{url}/insights/win-rate/")
    expect(page.locator("#insight-chart svg")).to_be_visible()
    expect(page.locator("#insight-chart")).to_contain_text("21–30% benchmark")

    # and groups it by owner
    page.get_by_label("Group by").select_option("owner")

    # then the table (and the address) follow without a page load
    expect(page.locator("#insight-table tbody tr")).to_have_count(2)
    assert _rows(page) == [["Nico Nowak", "1", "1", "50.0%"], ["Rita Reyes", "2", "1", "66.7%"]]
    expect(page).to_have_url(re.compile(r"/insights/win-rate/\?by=owner$"))
    expect(page.locator("#insight-chart svg")).to_contain_text("Rita Reyes")

    # when she picks this year
    page.get_by_role("button", name="This year").click()

    # then last January's win drops out, and the dates show the period
    expect(page.locator("#insight-table tbody tr").nth(1)).to_contain_text("50.0%")
    assert _rows(page) == [["Nico Nowak", "1", "1", "50.0%"], ["Rita Reyes", "1", "1", "50.0%"]]
    expect(page.get_by_label("From", exact=True)).to_have_value(f"{today.year}-01-01")
    expect(page.get_by_label("To", exact=True)).to_have_value(f"{today.year}-12-31")
    expect(page).to_have_url(re.compile(rf"by=owner&from={today.year}-01-01&to={today.year}-12-31"))

    # when she downloads the CSV
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value

    # then it holds the table she sees, shares as fractions
    assert download.suggested_filename == (
        f"debrief-win-rate-owner-{today.year}-01-01-{today.year}-12-31.csv"
    )
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["Owner", "Won", "Lost", "Win rate"],
        ["Nico Nowak", "1", "1", "0.5"],
        ["Rita Reyes", "1", "1", "0.5"],
        ["All", "2", "2", "0.5"],
    ]
    assert problems == []  # no script errors, nothing refused by the Content-Security-Policy
