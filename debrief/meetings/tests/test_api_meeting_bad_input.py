"""Bad input on the meetings API (issue 4): an outcome for a meeting that hasn't happened, an
advance with neither a commitment nor a discovery, a commitment dated in the past, a meeting
of another team: each a clear error naming the field (or a 404), and nothing saved."""

from __future__ import annotations

from debrief.meetings.models import BadMeeting, MeetingOutcome
from debrief.meetings.tests.api_helpers import day, fields, meeting
from debrief.pipeline.models import Deal


def _advance(held, **changes):
    return {
        "meeting": held.pk,
        "result": "advance",
        "compared_with_plan": "best",
        "valuable_for_customer": "yes",
        "commitment_what": "Security review",
        "commitment_who": "Cleo",
        "commitment_by": day(5),
    } | changes


def _nothing_saved(deal):
    assert not MeetingOutcome.objects.exists()
    assert Deal.objects.get(pk=deal.pk).next_step == deal.next_step


def test_an_outcome_for_a_meeting_that_has_not_happened(api_client, rita, make_deal):
    deal = make_deal(rita)
    tomorrow = meeting(deal, rita, days_ago=-1)

    response = api_client.as_user(rita).post("/api/v1/meeting-outcomes", _advance(tomorrow))

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "meeting", "message": "Record the outcome once the meeting has taken place."}
    ]
    _nothing_saved(deal)


def test_an_advance_without_a_commitment_or_a_discovery(api_client, rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes",
        _advance(held, commitment_what="", commitment_who="", commitment_by=None),
    )

    assert response.status_code == 422
    assert fields(response) == ["commitment_what"]
    assert "A good feeling is not an advance" in response.json()["errors"][0]["message"]
    _nothing_saved(deal)


def test_a_commitment_dated_in_the_past(api_client, rita, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)

    response = api_client.as_user(rita).post(
        "/api/v1/meeting-outcomes", _advance(held, commitment_by=day(-1))
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "commitment_by", "message": "A commitment's date cannot be in the past."}
    ]
    _nothing_saved(deal)


def test_an_outcome_for_another_teams_meeting(api_client, rita, oscar, make_deal):
    deal = make_deal(oscar)
    theirs = meeting(deal, oscar)

    response = api_client.as_user(rita).post("/api/v1/meeting-outcomes", _advance(theirs))

    assert response.status_code == 404
    assert fields(response) == ["meeting"]
    _nothing_saved(deal)


def test_flagging_another_teams_meeting(api_client, rita, oscar, make_deal):
    theirs = meeting(make_deal(oscar), oscar)

    response = api_client.as_user(rita).post(
        "/api/v1/bad-meetings", {"meeting": theirs.pk, "causes": ["pricing"]}
    )

    assert response.status_code == 404
    assert fields(response) == ["meeting"]
    assert not BadMeeting.objects.exists()


def test_an_attendee_who_may_not_change_the_deal_gets_403(api_client, rita, nico, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita, our_attendees=[rita, nico])

    response = api_client.as_user(nico).post("/api/v1/meeting-outcomes", _advance(held))

    assert response.status_code == 403
    assert fields(response) == ["meeting"]
    _nothing_saved(deal)


def test_the_analyst_gets_403(api_client, rita, ana, make_deal):
    deal = make_deal(rita)
    held = meeting(deal, rita)

    response = api_client.as_user(ana).post("/api/v1/meeting-outcomes", _advance(held))

    assert response.status_code == 403
    _nothing_saved(deal)
