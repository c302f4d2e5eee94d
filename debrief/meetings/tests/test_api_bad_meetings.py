"""/api/v1/bad-meetings: flag a meeting that went badly (its recovery steps, the strained
relationship, who outside sales hears of it), list them by cause and date, and decide within
14 days: still a real maybe (stay in, with the next step) or a prolonged no (qualify out)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from debrief.losses.models import LossReason, OutcomeType
from debrief.meetings import actions
from debrief.meetings.models import BadMeeting
from debrief.meetings.tests.api_helpers import day, fields, meeting
from debrief.pipeline.models import Deal, DealStatus, FollowUp
from debrief.relationships.models import Relationship


def test_flagging_a_bad_meeting(api_client, rita, make_deal):
    # given
    deal = make_deal(rita)
    held = meeting(deal, rita)

    # when
    response = api_client.as_user(rita).post(
        "/api/v1/bad-meetings",
        {
            "meeting": held.pk,
            "causes": ["misalignment", "pricing"],
            "consequences": ["relationship_damaged", "cycle_lengthened"],
            "note": "They expected the enterprise tier the campaign promised.",
        },
    )

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["causes"] == ["misalignment", "pricing"]
    assert body["reaches"] == ["marketing"]
    assert body["decision"] == "pending"
    assert body["decision_due_on"] == day(14)
    steps = {c["consequence"]: c["recovery_step"] for c in body["consequences"]}
    assert steps["relationship_damaged"]["title"] == "Make clear you want to mend the relationship"
    assert steps["relationship_damaged"]["due_on"] == day(3)
    assert steps["relationship_damaged"]["owner"]["email"] == "rita@example.com"
    assert FollowUp.objects.filter(deal=deal).count() == 2
    assert Relationship.objects.get(customer=deal.customer).status == "strained"


def test_unknown_causes_and_a_missing_cause_are_named(api_client, rita, make_deal):
    held = meeting(make_deal(rita), rita)
    api = api_client.as_user(rita)

    none = api.post("/api/v1/bad-meetings", {"meeting": held.pk, "causes": []})
    unknown = api.post(
        "/api/v1/bad-meetings",
        {"meeting": held.pk, "causes": ["weather"], "consequences": ["sadness"]},
    )
    other = api.post("/api/v1/bad-meetings", {"meeting": held.pk, "causes": ["other"]})

    assert fields(none) == ["causes"]
    assert set(fields(unknown)) == {"causes", "consequences"}
    assert fields(other) == ["other_cause"]
    assert not BadMeeting.objects.exists()


def test_listing_by_cause_and_date(api_client, rita, oscar, make_deal):
    # given
    pricing = actions.flag_bad_meeting(
        meeting(make_deal(rita), rita), rita, causes=["pricing"], consequences=[]
    )
    timing = actions.flag_bad_meeting(
        meeting(make_deal(rita), rita), rita, causes=["timing"], consequences=[]
    )
    BadMeeting.objects.filter(pk=timing.pk).update(
        flagged_at=timezone.now() - dt.timedelta(days=40)  # flagged 40 days ago
    )
    actions.flag_bad_meeting(
        meeting(make_deal(oscar), oscar), oscar, causes=["pricing"], consequences=[]
    )
    api = api_client.as_user(rita)

    def ids(**params):
        return [b["id"] for b in api.get("/api/v1/bad-meetings", **params).json()["items"]]

    # then
    assert ids() == [pricing.pk, timing.pk]
    assert ids(cause="timing") == [timing.pk]
    assert ids(since=day(-30)) == [pricing.pk]
    assert api.get(f"/api/v1/bad-meetings/{pricing.pk}").json()["causes"] == ["pricing"]
    unknown = api.get("/api/v1/bad-meetings", cause="weather")
    assert unknown.status_code == 422 and fields(unknown) == ["cause"]


def test_staying_in_sets_the_deals_next_step(api_client, rita, make_deal):
    deal = make_deal(rita)
    bad = actions.flag_bad_meeting(meeting(deal, rita), rita, causes=["timing"], consequences=[])

    response = api_client.as_user(rita).post(
        f"/api/v1/bad-meetings/{bad.pk}/decision",
        {"decision": "stay_in", "next_step": "Call the CFO", "next_step_date": day(3)},
    )

    assert response.status_code == 200
    assert response.json()["decision"] == "stay_in"
    deal.refresh_from_db()
    assert (deal.next_step, deal.next_step_date.isoformat()) == ("Call the CFO", day(3))


def test_staying_in_without_a_next_step_is_refused(api_client, rita, make_deal):
    bad = actions.flag_bad_meeting(
        meeting(make_deal(rita), rita), rita, causes=["timing"], consequences=[]
    )

    response = api_client.as_user(rita).post(
        f"/api/v1/bad-meetings/{bad.pk}/decision", {"decision": "stay_in"}
    )

    assert response.status_code == 422
    assert set(fields(response)) == {"next_step", "next_step_date"}
    assert BadMeeting.objects.get().decision == "pending"


def test_qualifying_out_closes_the_deal(api_client, rita, make_deal):
    deal = make_deal(rita)
    bad = actions.flag_bad_meeting(meeting(deal, rita), rita, causes=["rep_fit"], consequences=[])

    response = api_client.as_user(rita).post(
        f"/api/v1/bad-meetings/{bad.pk}/decision",
        {
            "decision": "qualify_out",
            "outcome_type": OutcomeType.objects.get(name="No decision").pk,
            "reasons": [LossReason.objects.get(name="Relationship or rep fit").pk],
        },
    )

    assert response.status_code == 200
    assert Deal.objects.get(pk=deal.pk).status == DealStatus.LOST


def test_another_teams_bad_meetings_are_not_there(api_client, rita, oscar, ana, make_deal):
    bad = actions.flag_bad_meeting(
        meeting(make_deal(oscar), oscar), oscar, causes=["timing"], consequences=[]
    )

    assert api_client.as_user(rita).get(f"/api/v1/bad-meetings/{bad.pk}").status_code == 404
    decided = api_client.as_user(rita).post(
        f"/api/v1/bad-meetings/{bad.pk}/decision",
        {"decision": "stay_in", "next_step": "x", "next_step_date": day(1)},
    )
    assert decided.status_code == 404
    assert api_client.as_user(ana).get(f"/api/v1/bad-meetings/{bad.pk}").status_code == 200
    assert (
        api_client.as_user(ana)
        .post(f"/api/v1/bad-meetings/{bad.pk}/decision", {"decision": "stay_in"})
        .status_code
        == 403
    )
