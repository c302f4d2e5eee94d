"""In a real browser: a manager runs a retro with seven attendees (groups of 4 and 3), the
groups propose, the team votes, the manager accepts a proposal and publishes it for deals at
Proposal; a rep finds it on her phone among the practices to apply to her open deal, with
the reason, and marks it applied; a rep of the other team sees none of it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import login_in_browser
from debrief.learning import actions
from debrief.learning.models import BestPractice, MatchStatus, PracticeMatch, Retro
from debrief.learning.tests.page_helpers import grow_north, lose, run_worker

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded stages, reasons
# and outcome types back for the transactional tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_from_a_retro_to_the_reps_checklist(
    browser_page, live_server, cast, north, make_deal, stages
):
    # given a lost deal, rita's open deal at Proposal, and seven people in North
    page = browser_page
    url = live_server.url
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    lose(make_deal(cast.rita, name="Harbour rollout"), cast.rita)
    open_deal = make_deal(cast.rita, name="Quayside renewal", stage=stages["Proposal"])
    grow_north(north)

    # when maya opens a retro on the lost deal with the whole team
    login_in_browser(page, live_server, cast.maya)
    page.goto(f"{url}/retros/")
    page.get_by_role("link", name="Open a retro").click()
    page.get_by_label("Title").fill("Why we lost Harbour")
    page.get_by_label(re.compile("Harbour rollout")).check()
    page.get_by_role("button", name="Open the retro").click()

    # then the seven are split into groups of 4 and 3
    retro = Retro.objects.get()
    page.wait_for_url(f"{url}/retros/{retro.pk}/")
    expect(page.locator("#groups")).to_contain_text("2 groups of 4 and 3")
    expect(page.locator("#group-1 li")).to_have_count(4)
    expect(page.locator("#group-2 li")).to_have_count(3)
    expect(page.locator("#deals")).to_contain_text("Harbour rollout")

    # when the groups propose (maya's here, rita's group's in the meantime)
    page.get_by_label("The practice, in one sentence").fill("Bring finance in before the proposal")
    page.get_by_role("button", name=re.compile("^Propose")).click()
    expect(page.locator("#proposal-list")).to_contain_text("Bring finance in before the proposal")
    actions.propose(retro, cast.rita, statement="Send the case study after every demo")

    # and maya starts the vote and votes (htmx swaps the proposal in place)
    page.goto(f"{url}/retros/{retro.pk}/")
    page.get_by_role("button", name="Start the vote").click()
    first = page.locator(".proposal", has_text="Bring finance in before the proposal")
    first.get_by_role("button", name=re.compile("^Vote")).click()
    expect(first.get_by_text("You voted")).to_be_visible()
    expect(first).to_contain_text("1 vote")

    # and accepts it, sets when it applies, and publishes it
    page.locator(".proposal", has_text="Bring finance in before the proposal").get_by_role(
        "button", name=re.compile("^Accept")
    ).click()
    practice = BestPractice.objects.get()
    page.wait_for_url(f"{url}/practices/{practice.pk}/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("checkbox", name="Proposal", exact=True).check()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.wait_for_url(f"{url}/practices/{practice.pk}/")
    expect(page.locator("#conditions")).to_contain_text("The deal is at Proposal.")
    page.get_by_role("button", name="Publish to the team").click()
    expect(page.locator("#practice-status")).to_have_text("Published")
    run_worker()

    # then rita, on her phone, finds it among the practices to apply, with the reason
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login_in_browser(page, live_server, cast.rita)
    page.goto(f"{url}/practices/to-apply/")
    item = page.locator(".match", has_text="Quayside renewal")
    expect(item).to_contain_text("Bring finance in before the proposal")
    expect(item).to_contain_text("Matches because stage is Proposal.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # when she marks it applied, saying what she did
    item.get_by_text("Mark it…").click()
    item.get_by_label("What you did, or why it does not apply").fill("Met their CFO on Tuesday")
    item.get_by_role("button", name="Applied").click()

    # then it is applied, in place
    expect(page.locator(".match-applied")).to_contain_text("Met their CFO on Tuesday")
    match = PracticeMatch.objects.get(practice=practice, deal=open_deal)
    assert match.status == MatchStatus.APPLIED

    # and oscar, of South, sees none of it
    page.context.clear_cookies()
    login_in_browser(page, live_server, cast.oscar)
    response = page.goto(f"{url}/retros/{retro.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{url}/retros/")
    expect(page.locator("main")).not_to_contain_text("Why we lost Harbour")
    page.goto(f"{url}/practices/")
    expect(page.locator("main")).not_to_contain_text("Bring finance in")
    page.goto(f"{url}/practices/to-apply/")
    expect(page.locator("main")).not_to_contain_text("Bring finance in")
    assert problems == []
