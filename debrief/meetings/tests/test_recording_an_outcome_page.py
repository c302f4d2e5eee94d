"""After the meeting, the rep records what it achieved. Bad input is named beside its field
and nothing is saved; an advance's commitment becomes the deal's next step; qualifying out
closes the deal with a loss record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings import actions
from debrief.meetings.models import MeetingOutcome
from debrief.meetings.tests.page_helpers import field_error, meeting, section, text
from debrief.pipeline.models import DealStatus


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _advance(**overrides: str) -> dict[str, str]:
    values = {
        "result": "advance",
        "commitment_what": "Security review with their IT",
        "commitment_who": "Cleo, their CTO",
        "commitment_by": _in(5),
        "compared_with_plan": "best",
        "valuable_for_customer": "yes",
    }
    return values | overrides


def test_the_page_shows_the_plans_objectives_beside_the_comparison(client, rita, make_deal):
    planned = meeting(make_deal(rita), rita)
    actions.write_plan(planned, rita, best_outcome="A pilot order", fallback_objective="A demo")
    client.force_login(rita)

    beside = section(client.get(f"/meetings/{planned.pk}/outcome/"), "plan-beside")

    assert "A pilot order" in beside and "A demo" in beside


def test_an_advance_becomes_the_deals_next_step(client, rita, make_deal):
    # given a meeting that took place yesterday
    deal = make_deal(rita)
    held = meeting(deal, rita)
    client.force_login(rita)

    # when
    response = client.post(f"/meetings/{held.pk}/outcome/", _advance(), follow=True)

    # then
    assert "The deal's next step is now: Security review with their IT" in text(response)
    outcome = MeetingOutcome.objects.get(meeting=held)
    assert (outcome.result, outcome.compared_with_plan) == ("advance", "best")
    deal.refresh_from_db()
    assert deal.next_step_date == timezone.localdate() + dt.timedelta(days=5)
    details = text(client.get(f"/deals/{deal.pk}/"))
    assert "Next step Security review with their IT (Cleo, their CTO)" in details


@pytest.mark.parametrize(
    ("hours", "data", "field", "message"),
    [
        (24, _advance(), None, "once the meeting has taken place"),
        (-24, _advance(commitment_what="", discovery=""), "commitment_what", "A good feeling"),
        (-24, _advance(commitment_by=_in(-1)), "commitment_by", "cannot be in the past"),
        (-24, _advance(commitment_who=""), "commitment_who", "Who committed"),
        (-24, _advance(result=""), "result", "Choose advance"),
        (-24, _advance(compared_with_plan=""), "compared_with_plan", "Compare it"),
        (
            -24,
            {
                "result": "no_outcome",
                "compared_with_plan": "neither",
                "valuable_for_customer": "no",
            },
            "note",
            "An honest note",
        ),
        (
            -24,
            {
                "result": "qualified_out",
                "compared_with_plan": "fallback",
                "valuable_for_customer": "yes",
            },
            "qualified_out_why",
            "Say why",
        ),
        (
            -24,
            {
                "result": "qualified_out",
                "qualified_out_why": "No budget",
                "compared_with_plan": "fallback",
                "valuable_for_customer": "yes",
            },
            "reasons",
            "at least one reason",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    client, rita, make_deal, hours, data, field, message
):
    # given
    deal = make_deal(rita)
    planned = meeting(deal, rita, hours=hours)
    client.force_login(rita)

    # when
    response = client.post(f"/meetings/{planned.pk}/outcome/", data)

    # then
    assert response.status_code == 400
    if field is None:
        assert message in text(response)
    else:
        assert message in field_error(response, field)
    assert not MeetingOutcome.objects.exists()
    deal.refresh_from_db()
    assert (deal.next_step, deal.status) == ("", DealStatus.OPEN)


def test_qualifying_out_closes_the_deal_with_its_loss(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    held = meeting(deal, rita)
    no_budget = LossReason.objects.get(name="No budget")
    client.force_login(rita)

    # when
    response = client.post(
        f"/meetings/{held.pk}/outcome/",
        {
            "result": "qualified_out",
            "qualified_out_why": "No budget until next fiscal year",
            "outcome_type": OutcomeType.objects.get(name="No budget").pk,
            "reasons": [no_budget.pk],
            "compared_with_plan": "fallback",
            "valuable_for_customer": "yes",
            "valuable_for_customer_said": "yes",
        },
        follow=True,
    )

    # then
    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    loss = deal.losses.get()
    assert loss.note == "No budget until next fiscal year"
    assert loss.primary_reason == no_budget
    assert "closed as lost" in text(response)
    assert "Qualified out" in section(client.get(f"/meetings/{held.pk}/"), "outcome")


def test_no_outcome_is_recorded_honestly(client, rita, make_deal):
    held = meeting(make_deal(rita), rita)
    client.force_login(rita)

    client.post(
        f"/meetings/{held.pk}/outcome/",
        {
            "result": "no_outcome",
            "note": "A pleasant chat; nothing agreed.",
            "compared_with_plan": "neither",
            "valuable_for_customer": "unsure",
        },
    )

    outcome = MeetingOutcome.objects.get(meeting=held)
    assert not outcome.is_valuable
    assert outcome.note == "A pleasant chat; nothing agreed."


def test_an_outcome_is_recorded_once(client, rita, make_deal):
    held = meeting(make_deal(rita), rita)
    client.force_login(rita)
    client.post(f"/meetings/{held.pk}/outcome/", _advance())

    response = client.post(f"/meetings/{held.pk}/outcome/", _advance(commitment_what="Other"))

    assert response.status_code == 302
    assert MeetingOutcome.objects.get().commitment_what == "Security review with their IT"
