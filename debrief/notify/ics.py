"""Calendar invites as RFC 5545 iCalendar files, which every calendar client opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from icalendar import Alarm, Calendar, Event, vCalAddress


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def invite(
    *,
    uid: str,
    summary: str,
    description: str,
    start: dt.datetime,
    duration: dt.timedelta,
    organizer: Person,
    attendees: Sequence[Person] = (),
    location: str = "",
    sequence: int = 0,
    alarm_before: dt.timedelta | None = dt.timedelta(minutes=15),
    cancelled: bool = False,
) -> bytes:
    """One VEVENT with its organizer and attendees. `uid` stays the same across updates and
    `sequence` grows, so calendars replace the event instead of adding a second one; a
    cancelled one (METHOD:CANCEL, STATUS:CANCELLED) takes it off their calendars."""
    cal = Calendar()
    cal.add("prodid", "-//Debrief//debrief//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start.astimezone(dt.UTC))
    event.add("dtend", (start + duration).astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("sequence", sequence)
    if cancelled:
        event.add("status", "CANCELLED")
    if location:
        event.add("location", location)
    event["organizer"] = _address(organizer)
    for person in attendees:
        address = _address(person)
        # RFC 5545 gives ROLE, PARTSTAT and RSVP to attendees only, never to the organizer.
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        event.add("attendee", address, encode=False)
    if alarm_before is not None and not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -alarm_before)
        event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()


def reminder(*, uid: str, summary: str, description: str, day: dt.date, owner: Person) -> bytes:
    """An all-day reminder, e.g. a re-engagement date."""
    cal = Calendar()
    cal.add("prodid", "-//Debrief//debrief//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uid}@{_domain()}")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event["organizer"] = _address(owner)
    cal.add_component(event)
    return cal.to_ical()


def _address(person: Person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    # A plain string: icalendar quotes it when needed ("Reyes, Rita"), where a vText would
    # backslash-escape the comma, which parameters do not allow.
    address.params["CN"] = person.name
    return address


def _domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "debrief.local"
