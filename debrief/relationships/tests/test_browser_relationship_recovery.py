"""In a real browser: a rep flags a bad meeting that damaged the relationship, sees the
customer's relationship strained, works the recovery plan (adds a touchpoint, marks it done)
without leaving the page, sets it restored, and the time to mend appears."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import login_in_browser
from debrief.meetings import actions as meeting_actions
from debrief.relationships.models import Relationship


def mark_page(page: Any) -> None:
    """Tag the loaded document, to tell an HTMX swap from a full page load."""
    page.evaluate("window.debriefTestMark = true")


def page_was_kept(page: Any) -> bool:
    return page.evaluate("window.debriefTestMark === true")


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded rows back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rep_mends_a_relationship_after_a_bad_meeting(browser_page, live_server, rita, make_deal):
    # given a meeting held yesterday
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    deal = make_deal(rita, name="Pilot rollout")
    customer = deal.customer
    held = meeting_actions.schedule_meeting(
        deal, rita, title="Pricing review", starts_at=timezone.now() - dt.timedelta(days=1)
    )
    login_in_browser(page, live_server, rita)

    # when she flags it as bad, with the relationship damaged
    page.goto(f"{live_server.url}/meetings/{held.pk}/bad/")
    page.get_by_label("Personality or rep fit").check()
    page.get_by_label("Relationship damaged").check()
    page.get_by_label("What happened").fill("Our demo talked over their CTO.")
    page.get_by_role("button", name="Flag as a bad meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/"))

    # then the deal page says the relationship is strained, and leads to it
    page.goto(f"{live_server.url}/deals/{deal.pk}/")
    expect(page.locator("#deal-relationship-status")).to_have_text("Strained")
    page.locator("#relationship").get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/customers/{customer.pk}/relationship/")
    expect(page.locator("#relationship-status-badge")).to_have_text("Strained")
    expect(page.locator("#relationship-history")).to_contain_text("Bad meeting: Pricing review")

    # when she adds a touchpoint to the recovery plan
    mark_page(page)
    plan = page.locator("#recovery-plan")
    plan.get_by_label("Kind").select_option(label="Call")
    plan.get_by_label("What").fill("Call their CTO to listen")
    plan.get_by_role("button", name="Add to the plan").click()

    # then it is in the plan, and the relationship is recovering, without a page load
    expect(plan.locator("#touchpoints")).to_contain_text("Call their CTO to listen")
    expect(page.locator("#relationship-status-badge")).to_have_text("Recovering")
    assert page_was_kept(page)

    # when she marks it done with how it went
    plan.get_by_label("Outcome").fill("He accepted our apology and asked for a new demo.")
    plan.get_by_role("button", name=re.compile("^Mark done")).click()

    # then
    expect(plan.locator("#touchpoints")).to_contain_text("Done")
    expect(plan.locator("#touchpoints")).to_contain_text("He accepted our apology")
    expect(page.locator("#relationship-history")).to_contain_text("Touchpoint done")
    assert page_was_kept(page)

    # when three weeks have passed since the damage, and she sets the relationship restored
    Relationship.objects.filter(customer=customer).update(
        damaged_since=timezone.now() - dt.timedelta(days=21)
    )
    status = page.locator("#relationship-status")
    status.get_by_label("New status").select_option(label="Restored")
    status.get_by_label("Why").fill("They signed up for the new demo.")
    status.get_by_role("button", name="Change status").click()

    # then the time to mend appears
    expect(page.locator("#relationship-status-badge")).to_have_text("Restored")
    expect(page.locator("#time-to-mend")).to_contain_text("21 days")
    expect(page.locator("#time-to-mend")).to_contain_text("within 3 months")
    expect(page.locator("#relationship-history")).to_contain_text(
        "Recovering → Restored after 21 days"
    )
    assert problems == []
