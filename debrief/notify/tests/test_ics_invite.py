"""Calendar invites are RFC 5545 files that calendar clients read: one event with its
organizer and attendees, times in UTC, and a UID that stays while SEQUENCE grows."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from icalendar import Calendar

from debrief.notify import ics

LEADER = ics.Person("Reyes, Rita", "rita@example.com")
GUESTS = (ics.Person("Cleo Carter", "cleo@harbor.example"), ics.Person("Nico", "nico@example.com"))


def event_of(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


def make(**changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "uid": "debrief-7",
        "summary": "Rep-led debrief: Harbor, Inc — renewal",
        "description": "Opener: \"We won't, we'd like\"\n1. What did the winner do?",
        "start": dt.datetime(2030, 3, 4, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
        "duration": dt.timedelta(minutes=45),
        "organizer": LEADER,
        "attendees": GUESTS,
    }
    return ics.invite(**(fields | changes))


def test_an_invite_is_one_event_request_with_its_people(settings):
    # given
    settings.SITE_URL = "https://debrief.example.com"

    # when
    calendar, event = event_of(make())

    # then
    assert calendar["method"] == "REQUEST"
    assert calendar["version"] == "2.0"
    assert str(event["uid"]) == "debrief-7@debrief.example.com"
    assert str(event["summary"]) == "Rep-led debrief: Harbor, Inc — renewal"
    assert (
        str(event["description"]) == "Opener: \"We won't, we'd like\"\n1. What did the winner do?"
    )
    assert str(event["organizer"]) == "mailto:rita@example.com"
    assert event["organizer"].params["CN"] == "Reyes, Rita"
    assert "ROLE" not in event["organizer"].params
    attendees = event.attendees
    assert [str(a) for a in attendees] == ["mailto:cleo@harbor.example", "mailto:nico@example.com"]
    assert [a.params["CN"] for a in attendees] == ["Cleo Carter", "Nico"]
    assert {a.params["PARTSTAT"] for a in attendees} == {"NEEDS-ACTION"}
    assert {a.params["RSVP"] for a in attendees} == {"TRUE"}


def test_times_are_written_in_utc():
    # when
    data = make()
    _, event = event_of(data)

    # then: 10:00 in Paris in March is 09:00 UTC
    assert b"DTSTART:20300304T090000Z" in data
    assert b"DTEND:20300304T094500Z" in data
    assert event.decoded("dtstart") == dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=45)


def test_a_moved_event_keeps_its_uid_and_raises_its_sequence():
    # when
    _, first = event_of(make(sequence=1))
    _, moved = event_of(make(sequence=2, start=dt.datetime(2030, 3, 5, 15, 0, tzinfo=dt.UTC)))

    # then
    assert str(moved["uid"]) == str(first["uid"])
    assert (int(first["sequence"]), int(moved["sequence"])) == (1, 2)
    assert moved.decoded("dtstart") == dt.datetime(2030, 3, 5, 15, 0, tzinfo=dt.UTC)


def test_an_all_day_reminder_is_a_date_event():
    # when
    _, event = event_of(
        ics.reminder(
            uid="reengage-3",
            summary="Call Harbor again",
            description="A year since the loss.",
            day=dt.date(2031, 1, 15),
            owner=LEADER,
        )
    )

    # then
    assert event.decoded("dtstart") == dt.date(2031, 1, 15)
    assert event.decoded("dtend") == dt.date(2031, 1, 16)
    assert str(event["organizer"]) == "mailto:rita@example.com"
