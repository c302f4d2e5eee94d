"""In a real browser: a rep marks a major deal lost from its page (after the graceful-exit
guidance, and not without a reason) and writes her own-it review; her manager finds the
post-mortem she leads, records the customer's answers, holds it and records a lesson; a rep
of the other team reaches none of it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import login_in_browser
from debrief.losses.models import Debrief, DebriefKind, DebriefStatus, Lesson, LossRecord


@pytest.mark.browser
# The live server needs committed data; serialized_rollback puts the seeded stages, reasons
# and outcome types back for the transactional tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_loss_loop_in_the_browser(
    browser_page, live_server, rita, maya, oscar, make_deal, stages
):
    # given a major deal of rita's
    page = browser_page
    url = live_server.url
    problems: list[str] = []
    # A form sent back with its errors answers 400, which the console reports: not a problem.
    expected = "the server responded with a status of 400"
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and expected not in m.text else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    deal = make_deal(
        rita, name="Harbour rollout", stage=stages["Negotiation"], amount=Decimal("480000")
    )
    login_in_browser(page, live_server, rita)

    # when she opens the deal and chooses to mark it lost
    page.goto(f"{url}/deals/{deal.pk}/")
    page.get_by_role("link", name="Mark lost").click()
    page.wait_for_url(f"{url}/deals/{deal.pk}/lose/")

    # then the guidance comes first, and the facts of the deal are kept
    guidance = page.locator("#graceful-exit")
    expect(guidance).to_be_visible()
    expect(guidance).to_contain_text("Don't argue")
    expect(guidance).to_contain_text("Ask permission to debrief later")
    expect(page.locator("#stage-at-loss")).to_have_text("Negotiation")

    # when she saves without a reason
    page.get_by_label("How was it lost?").select_option(label="Lost to a competitor")
    page.get_by_label("Yes, they agreed").check()
    page.get_by_label("Your note").fill("They chose a vendor with SSO built in.")
    page.get_by_role("button", name="Record the loss").click()

    # then nothing is saved and the error is beside the reasons
    expect(page.locator("#id_reasons_error")).to_contain_text("Give at least one reason")
    expect(page.get_by_label("Your note")).to_have_value("They chose a vendor with SSO built in.")
    assert not LossRecord.objects.exists()

    # when she ticks two reasons, marks one as the main one, and saves
    page.get_by_label("Missing capability", exact=True).check()
    page.get_by_label("Price", exact=True).check()
    page.get_by_label("Missing capability is the main").check()
    page.get_by_role("button", name="Record the loss").click()

    # then she is asked for her own-it review
    page.wait_for_url(re.compile(r"/losses/\d+/own-it/$"))
    expect(page.locator(".flash-success")).to_contain_text("is recorded")
    page.get_by_label("What could I have done differently?").fill(
        "I should have asked about single sign-on in discovery."
    )
    page.get_by_label("What will I do next time?").fill(
        "I will check identity requirements in the first call."
    )
    page.get_by_label("Which reason do I think was decisive?").select_option(
        label="Missing capability"
    )
    page.get_by_role("button", name="Save my review").click()
    expect(page.locator(".flash-success")).to_contain_text("Your own-it review is saved")
    expect(page.locator("#own-it-nudge")).to_have_count(0)
    loss = LossRecord.objects.get(deal=deal)
    assert loss.own_it.submitted_at is not None

    # when her manager signs in
    page.context.clear_cookies()
    login_in_browser(page, live_server, maya)

    # then her home shows the post-mortem due, and it is hers to lead, after today
    debrief = Debrief.objects.get(loss=loss)
    assert (debrief.kind, debrief.leader) == (DebriefKind.POST_MORTEM, maya)
    assert timezone.localdate(debrief.proposed_for) > loss.lost_on
    team_panel = page.locator("#home-losses-team")
    expect(team_panel).to_contain_text("Harbour rollout")
    page.goto(f"{url}/deals/{deal.pk}/")
    panel = page.locator("#losses")
    expect(panel).to_contain_text("Manager-led post-mortem")
    expect(panel).to_contain_text("Maya Moreau")
    expect(panel).to_contain_text("I should have asked about single sign-on")
    panel.get_by_role("link", name="Open the debrief guide").click()

    # when she records the customer's answers
    page.wait_for_url(f"{url}/debriefs/{debrief.pk}/")
    expect(page.locator("#debrief-opener")).to_contain_text(
        "We are not going to try to change your mind"
    )
    page.get_by_label("1. What did the winner do").fill("Showed SSO working on day one.")
    page.get_by_label("4. What one or two recommendations").fill("Lead with security.")
    page.get_by_label("Add a question").fill("Who else was on the shortlist?")
    page.get_by_label("Its answer").fill("Two vendors.")
    page.get_by_label("The customer's decisive reason").select_option(label="Missing capability")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.locator(".flash-success")).to_contain_text("answers are saved")
    expect(page.get_by_label("Who else was on the shortlist?")).to_have_value("Two vendors.")

    # and ticks off contacting the customer, marks the call held, and records a lesson
    page.get_by_role("button", name="I have contacted them").click()
    expect(page.locator("#follow-up")).to_contain_text("Done")
    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator(".flash-error")).to_contain_text("never held the day the loss is learnt")

    # given the call takes place a few days later
    LossRecord.objects.filter(pk=loss.pk).update(lost_on=loss.lost_on - dt.timedelta(days=3))
    page.reload()
    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator("#debrief-status")).to_have_text("Held")
    page.get_by_label("The lesson, in one sentence").fill("Demo SSO before the proposal")
    page.get_by_label("What to do differently").fill("Add identity to the discovery checklist.")
    page.get_by_role("button", name="Record the lesson").click()

    # then
    expect(page.locator("#lessons")).to_contain_text("Demo SSO before the proposal")
    debrief.refresh_from_db()
    assert debrief.status == DebriefStatus.HELD
    lesson = Lesson.objects.get()
    assert (lesson.author, lesson.debrief) == (maya, debrief)
    assert problems == []

    # when a rep of the other team tries every one of these pages
    page.context.clear_cookies()
    login_in_browser(page, live_server, oscar)
    for path in (
        f"/deals/{deal.pk}/",
        f"/deals/{deal.pk}/lose/",
        f"/losses/{loss.pk}/",
        f"/losses/{loss.pk}/own-it/",
        f"/debriefs/{debrief.pk}/",
        f"/debriefs/{debrief.pk}/invite.ics",
        f"/lessons/{lesson.pk}/",
    ):
        response = page.goto(f"{url}{path}")

        # then none of it exists for him
        assert response is not None
        assert response.status == 404, path
        expect(page.locator("body")).not_to_contain_text("Harbour rollout")
    page.goto(f"{url}/losses/")
    expect(page.locator("body")).not_to_contain_text("Harbour rollout")
    page.goto(f"{url}/lessons/")
    expect(page.locator("body")).not_to_contain_text("Demo SSO")
