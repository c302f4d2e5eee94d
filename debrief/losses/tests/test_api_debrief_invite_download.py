"""A debrief's invite downloaded from the API: an RFC 5545 file with the leader as
organizer, the participants and the customer contact as attendees, the guide in its
description; moving the call keeps the UID and raises the SEQUENCE."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar

from debrief.losses.models import DEBRIEF_OPENER, DEBRIEF_QUESTIONS
from debrief.losses.tests.api_helpers import lose
from debrief.pipeline import actions as pipeline_actions


def event_of(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar["method"] == "REQUEST"
    [event] = calendar.events
    return event


@pytest.fixture
def post_mortem(cast, make_deal):
    deal = make_deal(cast.rita, name="Harbor renewal", amount=Decimal("250000"))
    contact = pipeline_actions.create_contact(
        deal.customer, None, name="Cleo Carter", email="cleo@harbor.example"
    )
    pipeline_actions.add_deal_contact(deal, contact, "decision_maker", None)
    return lose(deal, cast.rita, days_ago=1).debrief


def test_the_invite_names_its_people_and_carries_the_guide(api_client, cast, post_mortem):
    # when
    response = api_client.as_user(cast.rita).get(f"/api/v1/debriefs/{post_mortem.pk}/invite.ics")

    # then
    event = event_of(response)
    assert f'filename="debrief-{post_mortem.pk}.ics"' in response["Content-Disposition"]
    assert str(event["organizer"]) == "mailto:maya@example.com"
    assert event["organizer"].params["CN"] == "Maya Moreau"
    assert sorted(str(a) for a in event.attendees) == [
        "mailto:cleo@harbor.example",
        "mailto:rita@example.com",
    ]
    assert "Harbor renewal" in str(event["summary"])
    description = str(event["description"])
    assert DEBRIEF_OPENER in description
    for question in DEBRIEF_QUESTIONS:
        assert question in description
    assert event.decoded("dtstart") == post_mortem.proposed_for
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(0)


def test_moving_the_call_keeps_the_uid_and_raises_the_sequence(api_client, cast, post_mortem):
    # given
    client = api_client.as_user(cast.maya)
    url = f"/api/v1/debriefs/{post_mortem.pk}/invite.ics"
    before = event_of(client.get(url))
    moved_to = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=4), dt.time(15, 30), tzinfo=dt.UTC
    )

    # when
    client.patch(f"/api/v1/debriefs/{post_mortem.pk}", {"scheduled_for": moved_to.isoformat()})
    after = event_of(client.get(url))

    # then
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == moved_to
    assert f"DTSTART:{moved_to:%Y%m%dT%H%M%S}Z".encode() in client.get(url).content


def test_only_those_who_see_the_debrief_download_it(api_client, cast, post_mortem):
    # when
    codes = {
        user.email.split("@")[0]: api_client.as_user(user)
        .get(f"/api/v1/debriefs/{post_mortem.pk}/invite.ics")
        .status_code
        for user in (cast.rita, cast.maya, cast.ana, cast.adam, cast.nico, cast.sam, cast.oscar)
    }

    # then
    assert codes == {
        "rita": 200,
        "maya": 200,
        "ana": 200,
        "adam": 200,
        "nico": 404,
        "sam": 404,
        "oscar": 404,
    }
