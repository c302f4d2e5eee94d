"""A rep flags a meeting that went badly: before saving they see the recovery step each
consequence creates; after, the steps are follow-ups with dates and an owner, a damaged
relationship is strained, and the deal page shows the bad meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.meetings.models import BadMeeting
from debrief.meetings.tests.page_helpers import field_error, meeting, section, text
from debrief.pipeline.models import FollowUp
from debrief.relationships.models import Relationship


def test_the_form_shows_each_consequences_recovery_step_before_saving(client, rita, make_deal):
    held = meeting(make_deal(rita), rita)
    client.force_login(rita)

    preview = section(client.get(f"/meetings/{held.pk}/bad/"), "recovery-preview")

    in_three_days = timezone.localdate() + dt.timedelta(days=3)
    assert "Relationship damaged" in preview
    assert "Make clear you want to mend the relationship" in preview
    assert f"due {in_three_days:%a} {in_three_days.day} {in_three_days:%b}" in preview
    assert "Rita Reyes" in preview
    assert "Give them time, then rebuild" in preview


def test_flagging_starts_the_recovery_and_strains_the_relationship(client, rita, make_deal):
    # given
    deal = make_deal(rita)
    held = meeting(deal, rita)
    client.force_login(rita)

    # when
    response = client.post(
        f"/meetings/{held.pk}/bad/",
        {
            "causes": ["misalignment", "pricing"],
            "consequences": ["relationship_damaged", "cycle_lengthened"],
            "note": "They expected the enterprise tier the campaign promised.",
        },
        follow=True,
    )

    # then the recovery steps are follow-ups for the deal's owner, with their due dates
    assert "recorded with 2 recovery steps" in text(response)
    steps = {s.title: s for s in FollowUp.objects.filter(deal=deal)}
    today = timezone.localdate()
    mend = steps["Make clear you want to mend the relationship"]
    assert (mend.owner, mend.due_on) == (rita, today + dt.timedelta(days=3))
    assert len(steps) == 2
    shown = section(response, "recovery-steps")
    assert "Make clear you want to mend the relationship" in shown
    assert "Rita Reyes" in shown
    # and the relationship is strained, the decision due in 14 days
    assert Relationship.objects.get(customer=deal.customer).status == "strained"
    assert BadMeeting.objects.get().decision_due_on == today + dt.timedelta(days=14)
    # and the deal page shows the bad meeting
    past = section(client.get(f"/deals/{deal.pk}/"), "meetings-past")
    assert "Bad meeting" in past


def test_a_cause_is_needed_and_an_other_cause_is_named(client, rita, make_deal):
    held = meeting(make_deal(rita), rita)
    client.force_login(rita)

    nothing = client.post(f"/meetings/{held.pk}/bad/", {"consequences": ["future_lost"]})
    other = client.post(f"/meetings/{held.pk}/bad/", {"causes": ["other"]})

    assert nothing.status_code == other.status_code == 400
    assert "Say what caused it" in field_error(nothing, "causes")
    assert "Say what the other cause was" in field_error(other, "other_cause")
    assert not BadMeeting.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_meeting_yet_to_happen_cannot_be_flagged(client, rita, make_deal):
    ahead = meeting(make_deal(rita), rita, hours=24)
    client.force_login(rita)

    response = client.post(f"/meetings/{ahead.pk}/bad/", {"causes": ["timing"]})

    assert response.status_code == 400
    assert "once it has taken place" in text(response)
    assert not BadMeeting.objects.exists()


def test_a_recovery_step_is_ticked_off(client, rita, make_deal):
    # given
    held = meeting(make_deal(rita), rita)
    client.force_login(rita)
    client.post(
        f"/meetings/{held.pk}/bad/", {"causes": ["timing"], "consequences": ["future_lost"]}
    )
    step = FollowUp.objects.get()

    # when
    client.post(f"/meetings/{held.pk}/recovery/{step.pk}/done/")

    # then
    step.refresh_from_db()
    assert step.done_at is not None
