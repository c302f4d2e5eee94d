"""After a bad meeting, the rep decides within 14 days: still a real maybe (stay in, with the
next step), or a prolonged no (qualify out, closing the deal). The home page asks until then,
flagged once it is due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings import actions
from debrief.meetings.models import BadMeeting
from debrief.meetings.tests.page_helpers import field_error, meeting, section
from debrief.pipeline.models import DealStatus


def _bad(deal, by):
    return actions.flag_bad_meeting(
        meeting(deal, by), by, causes=["timing"], consequences=["cycle_lengthened"]
    )


def test_staying_in_sets_the_deals_next_step(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    bad = _bad(deal, rita)
    client.force_login(rita)
    next_week = timezone.localdate() + dt.timedelta(days=7)

    # when
    response = client.post(
        f"/bad-meetings/{bad.pk}/decide/",
        {
            "decision": "stay_in",
            "next_step": "Workshop with their new CFO",
            "next_step_date": next_week.isoformat(),
            "note": "The budget owner changed; the need did not.",
        },
    )

    # then
    assert response.status_code == 302
    bad.refresh_from_db()
    deal.refresh_from_db()
    assert bad.decision == "stay_in"
    assert (deal.next_step, deal.next_step_date) == ("Workshop with their new CFO", next_week)


def test_qualifying_out_closes_the_deal(client, rita, make_deal):
    deal = make_deal(rita)
    bad = _bad(deal, rita)
    client.force_login(rita)

    client.post(
        f"/bad-meetings/{bad.pk}/decide/",
        {
            "decision": "qualify_out",
            "outcome_type": OutcomeType.objects.get(name="No decision").pk,
            "reasons": [LossReason.objects.get(name="Timing").pk],
            "note": "Six months of silence: a slow no.",
        },
    )

    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST
    assert deal.losses.get().note == "Six months of silence: a slow no."
    assert BadMeeting.objects.get().decision == "qualify_out"


def test_each_missing_part_is_named_and_nothing_saved(client, rita, make_deal):
    deal = make_deal(rita)
    bad = _bad(deal, rita)
    client.force_login(rita)

    undecided = client.post(f"/bad-meetings/{bad.pk}/decide/", {})
    stay = client.post(f"/bad-meetings/{bad.pk}/decide/", {"decision": "stay_in"})
    out = client.post(f"/bad-meetings/{bad.pk}/decide/", {"decision": "qualify_out"})

    assert "Decide: stay in, or qualify out" in field_error(undecided, "decision")
    assert "concrete next step" in field_error(stay, "next_step")
    assert "from today on" in field_error(stay, "next_step_date")
    assert "Choose how the deal was lost" in field_error(out, "outcome_type")
    assert "at least one reason" in field_error(out, "reasons")
    bad.refresh_from_db()
    deal.refresh_from_db()
    assert (bad.decision, deal.status) == ("pending", DealStatus.OPEN)


def test_the_home_page_asks_and_flags_a_decision_that_is_due(client, rita, make_deal):
    # given two bad meetings; one's decision is overdue
    fresh = _bad(make_deal(rita, name="Fresh deal"), rita)
    due = _bad(make_deal(rita, name="Stale deal"), rita)
    BadMeeting.objects.filter(pk=due.pk).update(
        decision_due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(rita)

    # when
    decisions = section(client.get("/"), "home-meetings-mine-decisions")

    # then both are asked, the overdue one first and flagged
    assert decisions.index("Stale deal") < decisions.index("Fresh deal")
    assert decisions.startswith("Due ")
    assert f"By {fresh.decision_due_on.day} {fresh.decision_due_on:%b}" in decisions
