"""In a real browser: a rep filters the pipeline, opens a deal, moves its stage and sees the
timeline entry appear; a rep of the other team gets a 404 at that deal's URL."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import login_in_browser


def mark_page(page: Any) -> None:
    """Tag the loaded document, to tell an HTMX swap from a full page load."""
    page.evaluate("window.debriefTestMark = true")


def page_was_kept(page: Any) -> bool:
    return page.evaluate("window.debriefTestMark === true")


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded stages back (and
# keeps Django from recreating content types) for the transactional tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rep_filters_opens_and_moves_a_deal(
    browser_page, live_server, rita, oscar, make_deal, stages
):
    # given
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    make_deal(rita, name="Alpha rollout", stage=stages["Prospecting"])
    deal = make_deal(rita, name="Bravo expansion", stage=stages["Proposal"])
    login_in_browser(page, live_server, rita)

    # when she filters the pipeline by stage
    page.goto(f"{live_server.url}/deals/")
    expect(page.locator("#deal-table")).to_contain_text("Alpha rollout")
    mark_page(page)
    page.get_by_label("Stage", exact=True).select_option(label="Proposal")

    # then only the results are swapped, and the URL keeps the filter
    page.wait_for_url(re.compile(rf"stage={stages['Proposal'].pk}"))
    expect(page.locator("#deal-table")).not_to_contain_text("Alpha rollout")
    expect(page.locator("#deal-summary")).to_have_text(re.compile(r"^1 deal"))
    assert page_was_kept(page)

    # when she opens the deal and moves it to Closed Won
    page.get_by_role("link", name="Bravo expansion").click()
    page.wait_for_url(f"{live_server.url}/deals/{deal.pk}/")
    mark_page(page)
    page.get_by_label("Move to stage").select_option(label="Closed Won")
    page.get_by_role("button", name="Move stage").click()

    # then the stage header and the timeline show it without a page load
    timeline = page.locator("#deal-timeline")
    expect(timeline).to_contain_text("Stage moved from Proposal to Closed Won")
    expect(timeline.locator("li.ev-won")).to_contain_text("Deal won")
    expect(page.locator("#deal-status")).to_have_text("Won")
    assert page_was_kept(page)
    assert problems == []

    # when a rep of the other team tries the same URL
    page.context.clear_cookies()
    login_in_browser(page, live_server, oscar)
    response = page.goto(f"{live_server.url}/deals/{deal.pk}/")

    # then the deal does not exist for him
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Bravo expansion")
