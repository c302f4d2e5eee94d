"""In a real browser: a rep plans a meeting from the deal page, fills its one-page plan,
downloads the plan as a one-page PDF and as an invite, records an advance with a commitment,
and sees the deal's next step change."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import login_in_browser
from debrief.pipeline import actions as pipeline_actions


def mark_page(page: Any) -> None:
    """Tag the loaded document, to tell an HTMX swap from a full page load."""
    page.evaluate("window.debriefTestMark = true")


def page_was_kept(page: Any) -> bool:
    return page.evaluate("window.debriefTestMark === true")


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded rows back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rep_plans_a_meeting_and_records_an_advance(
    browser_page, live_server, rita, make_deal, tmp_path
):
    # given a deal with a contact at the customer
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    deal = make_deal(rita, name="Acme rollout")
    pipeline_actions.create_contact(deal.customer, None, name="Cleo Chen", email="cleo@acme.test")
    login_in_browser(page, live_server, rita)

    # when she plans a meeting that took place this morning (recorded after the fact)
    page.goto(f"{live_server.url}/deals/{deal.pk}/")
    page.get_by_role("link", name="Plan a meeting").click()
    earlier = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    page.get_by_label("Title").fill("Scope workshop")
    page.get_by_label("When").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Length (minutes)").fill("60")
    page.get_by_label("On site").check()
    page.get_by_label("Cleo Chen").check()
    page.get_by_role("button", name="Plan the meeting").click()

    # then its one-page plan opens, empty
    page.wait_for_url(re.compile(r"/meetings/\d+/plan/$"))
    expect(page.locator("#plan-completeness")).to_have_text("0% complete")

    # when she writes the short plan a deal this size needs, and the agenda
    mark_page(page)
    page.get_by_label("Purpose of the meeting").fill("Agree the pilot's scope")
    page.get_by_label("Agenda and key topics").fill("1. Their goals\n2. Scope\n3. Next steps")
    page.get_by_label("The best possible outcome").fill("A signed pilot order")
    page.get_by_label("The fall-back objective if I miss it").fill("A date for the security review")
    page.get_by_role("button", name="Save the plan").click()

    # then it is saved in place, complete
    expect(page.locator("#plan-completeness")).to_have_text("100% complete")
    expect(page.locator("#plan-saved")).to_be_visible()
    assert page_was_kept(page)

    # when she downloads the PDF
    pdf_url = page.locator("#plan-pdf").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{pdf_url}")

    # then it is one A4 page carrying the plan
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.body())).pages
    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (
        595,
        842,
    )
    assert "A signed pilot order" in pages[0].extract_text()

    # when she downloads the invite
    with page.expect_download() as download_info:
        page.locator("#plan-ics").click()
    saved = tmp_path / "invite.ics"
    download_info.value.save_as(saved)

    # then it parses, with the agenda
    event = next(iter(Calendar.from_ical(Path(saved).read_bytes()).walk("VEVENT")))
    assert "Scope workshop" in str(event["SUMMARY"])
    assert "2. Scope" in str(event["DESCRIPTION"])

    # when she records an advance with a commitment
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("link", name="Record the outcome").click()
    expect(page.locator("#plan-beside")).to_contain_text("A signed pilot order")
    page.get_by_label("Significant advance").check()
    by = timezone.localdate() + dt.timedelta(days=10)
    page.get_by_label("Commitment: what").fill("Security review with their IT")
    page.get_by_label("Who committed").fill("Cleo Chen")
    page.get_by_label("By when").fill(by.isoformat())
    page.get_by_label("Fall-back objective met").check()
    page.get_by_role("group", name="Was it valuable for the customer? (your view)").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Record the outcome").click()

    # then the meeting shows it, and the deal's next step is the commitment
    expect(page.locator(".flashes")).to_contain_text(
        "The deal's next step is now: Security review with their IT"
    )
    expect(page.locator("#outcome")).to_contain_text("Significant advance")
    page.get_by_role("link", name="Acme rollout").first.click()
    page.wait_for_url(f"{live_server.url}/deals/{deal.pk}/")
    expect(page.locator("#details-heading + dl")).to_contain_text(
        "Security review with their IT (Cleo Chen)"
    )
    expect(page.locator("#meetings-past")).to_contain_text("Significant advance")
    assert problems == []
